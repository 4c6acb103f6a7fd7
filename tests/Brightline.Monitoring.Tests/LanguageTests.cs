namespace Brightline.Monitoring.Tests;

/// <summary>
/// Issue 16 part 5: Welsh initial mutations and Polish case endings generated from
/// Libraries/morphology.txt; Urdu (script and romanised) and Arabic libraries; Arabic-script
/// folding (tatweel, harakat, letter variants between Arabic and Urdu).
/// </summary>
public sealed class LanguageTests
{
    [Theory]
    [InlineData("dw i am ladd fy hun", "self-harm")] // soft mutation of lladd
    [InlineData("ladd fy hun", "self-harm")]
    [InlineData("mae'n mynd i ddod â fy nghyllell i'r ysgol", "violence")] // nasal mutation of cyllell
    [InlineData("mae ganddo gyllell i'r ysgol", "violence")] // soft
    [InlineData("a chyllell i'r ysgol", "violence")] // aspirate
    [InlineData("dw i am grogi fy hun", "self-harm")]
    [InlineData("myślę o samobójstwie", "self-harm")] // locative
    [InlineData("nie ma nic złego w samobójstwie", "self-harm")]
    [InlineData("bez samobójstwa", "self-harm")] // genitive
    [InlineData("popełnić samobójstwo", "self-harm")]
    [InlineData("chce się powiesić", "self-harm")]
    [InlineData("myślę o samookaleczeniu", "self-harm")] // -nie → -niu
    public void Scan_WelshAndPolishInflectedForms_Caught(string text, string category)
    {
        var result = PhraseMatcher.BuiltIn.Scan(text);

        result.ScoreOf(category).ShouldBeGreaterThan(0, TextSpeakTests.Describe(text, result));
    }

    [Theory]
    [InlineData("میں مرنا چاہتا ہوں", "self-harm")]
    [InlineData("میں مرنا چاہتی ہوں", "self-harm")]
    [InlineData("میں خودکشی کر لوں گی", "self-harm")]
    [InlineData("میں خود کو نقصان پہنچاتا ہوں", "self-harm")]
    [InlineData("تم بہت بدصورت ہو", "bullying")]
    [InlineData("تمہیں کوئی پسند نہیں کرتا", "bullying")]
    [InlineData("کسی کو مت بتانا", "grooming")]
    [InlineData("اپنی تصویر بھیجو", "grooming")]
    [InlineData("کیا تم اکیلی ہو", "grooming")]
    [InlineData("main marna chahta hoon", "self-harm")]
    [InlineData("mai marna chahti hu", "self-harm")]
    [InlineData("soch rahi hoon khudkushi kar lun", "self-harm")]
    [InlineData("jeena nahi chahta", "self-harm")]
    [InlineData("tum badsoorat ho", "bullying")]
    [InlineData("kisi ko mat batana", "grooming")]
    [InlineData("apne ammi abbu ko mat batana", "grooming")]
    [InlineData("kya tum akeli ho", "grooming")]
    public void Scan_Urdu_ScriptAndRomanised_Caught(string text, string category)
    {
        var result = PhraseMatcher.BuiltIn.Scan(text);

        result.ScoreOf(category).ShouldBeGreaterThan(0, TextSpeakTests.Describe(text, result));
    }

    [Theory]
    [InlineData("أريد أن أموت", "self-harm")]
    [InlineData("اريد ان اموت", "self-harm")] // no hamza
    [InlineData("أُرِيدُ أَنْ أَمُوتَ", "self-harm")] // full harakat
    [InlineData("أريـــد أن أمــوت", "self-harm")] // tatweel
    [InlineData("بدي موت", "self-harm")]
    [InlineData("سأقتل نفسي", "self-harm")]
    [InlineData("أفكر في الانتحار", "self-harm")]
    [InlineData("لا أحد سيفتقدني", "self-harm")]
    [InlineData("اقتل نفسك", "bullying")]
    [InlineData("أنت قبيح", "bullying")]
    [InlineData("الكل يكرهك", "bullying")]
    [InlineData("لا تخبر أحدا", "grooming")]
    [InlineData("هذا سرنا", "grooming")]
    [InlineData("ارسل لي صورتك", "grooming")]
    [InlineData("هل انت وحدك", "grooming")]
    [InlineData("اخلعي ملابسك", "grooming")]
    public void Scan_Arabic_Caught(string text, string category)
    {
        var result = PhraseMatcher.BuiltIn.Scan(text);

        result.ScoreOf(category).ShouldBeGreaterThan(0, TextSpeakTests.Describe(text, result));
    }

    [Theory]
    [InlineData("ي", "ی")] // Arabic and Farsi/Urdu yeh
    [InlineData("ي", "ى")] // alef maksura
    [InlineData("ك", "ک")] // Arabic kaf and keheh
    [InlineData("ه", "ہ")] // heh goal
    [InlineData("ه", "ة")] // teh marbuta
    [InlineData("ا", "أ")] // hamza on alef
    [InlineData("ا", "ٱ")] // alef wasla
    [InlineData("كتب", "كـــتـب")] // tatweel dropped
    [InlineData("كتب", "كَتَبَ")] // harakat dropped
    public void Normalise_ArabicScriptVariants_FoldAlike(string plain, string variant)
    {
        TextNormaliser.Normalise(variant).Text.ShouldBe(TextNormaliser.Normalise(plain).Text);
    }

    [Fact]
    public void Scan_UrduTypedWithArabicLetters_StillMatches()
    {
        // "کسی کو مت بتانا" typed on an Arabic keyboard: ك for ک, ي for ی.
        var result = PhraseMatcher.BuiltIn.Scan("كسي كو مت بتانا");

        result.ScoreOf("grooming").ShouldBeGreaterThan(0);
    }

    // Issue 16 part 5, languages: whole vocabulary areas (hopelessness, acts, insults, threats,
    // weapons at school, secrecy, images, meeting) and their inflections and spellings.
    [Theory]
    [InlineData("rwy'n casáu fy hun", "self-harm")] // spoken form of "dw i'n" (morphology)
    [InlineData("dw i am ladd fy hunan", "self-harm")] // "fy hunan" for "fy hun" (morphology)
    [InlineData("dwi moyn marw", "self-harm")] // southern "moyn" for "eisiau" (morphology)
    [InlineData("hoffwn i farw", "self-harm")]
    [InlineData("does dim pwynt byw", "self-harm")]
    [InlineData("ti mor dew", "bullying")]
    [InlineData("cer i farw", "bullying")]
    [InlineData("paid â dweud wrth dy fam", "grooming")]
    [InlineData("anfona lun i fi", "grooming")]
    [InlineData("wna i dy ladd di", "violence")]
    [InlineData("mae gen i ddryll yn yr ysgol", "violence")] // soft mutation of dryll (morphology)
    public void Scan_Welsh_VocabularyAreasAndForms_Caught(string text, string category) => AssertCaught(text, category);

    [Theory]
    [InlineData("chciałabym umrzeć", "self-harm")] // feminine conditional from chciałbym (morphology)
    [InlineData("wolałabym umrzeć", "self-harm")]
    [InlineData("zycie nie ma sensu", "self-harm")] // without Polish letters
    [InlineData("okaleczyłam się", "self-harm")]
    [InlineData("nikt by za mną nie tęsknił", "self-harm")]
    [InlineData("jesteś żałosna", "bullying")]
    [InlineData("wszyscy cię nienawidzą", "bullying")]
    [InlineData("idź się powieś", "bullying")]
    [InlineData("zabije cie", "violence")]
    [InlineData("zastrzelę wszystkich", "violence")]
    [InlineData("mam nóż w szkole", "violence")]
    [InlineData("usuń tę rozmowę", "grooming")]
    [InlineData("spotkajmy się sam na sam", "grooming")]
    public void Scan_Polish_VocabularyAreasAndForms_Caught(string text, string category) => AssertCaught(text, category);

    [Theory]
    [InlineData("me quiero suicidar", "self-harm")]
    [InlineData("kiero morir", "self-harm")] // chat spelling (morphology)
    [InlineData("me kiero matar", "self-harm")]
    [InlineData("la vida no vale la pena", "self-harm")]
    [InlineData("todos estarian mejor sin mi", "self-harm")] // no accents
    [InlineData("eres una perdedora", "bullying")]
    [InlineData("ojala te mueras", "bullying")]
    [InlineData("te voy a apuñalar", "violence")]
    [InlineData("traigo una navaja al insti", "violence")]
    [InlineData("no les cuentes a tus padres", "grooming")]
    [InlineData("quitate la ropa", "grooming")]
    public void Scan_Spanish_VocabularyAreasAndForms_Caught(string text, string category) => AssertCaught(text, category);

    [Theory]
    [InlineData("بدي اقتل حالي", "self-harm")] // Levantine حالي for "myself"
    [InlineData("روح اقتل حالك", "bullying")] // نفسك = حالك (morphology)
    [InlineData("الحياة ما لها معنى", "self-harm")]
    [InlineData("لن يفتقدني احد", "self-harm")]
    [InlineData("ايذاء نفسي", "self-harm")] // hamza left off (ArabicScriptFolding)
    [InlineData("الجميع يكرهونك", "bullying")]
    [InlineData("انتي فاشلة", "bullying")]
    [InlineData("سأقتلك", "violence")] // future prefix + object suffix
    [InlineData("رح اقتلك بكرا", "violence")]
    [InlineData("جبت سكين على المدرسة", "violence")]
    [InlineData("احذفي الرسائل", "grooming")]
    [InlineData("صورك بدون ملابس", "grooming")]
    public void Scan_Arabic_VocabularyAreasAndForms_Caught(string text, string category) => AssertCaught(text, category);

    [Theory]
    [InlineData("زندگی سے تنگ آ گیا ہوں", "self-harm")]
    [InlineData("mujhe jeena nahi hai", "self-harm")]
    [InlineData("mjhe jina nai chahiye", "self-harm")] // phone spellings (morphology)
    [InlineData("main khudkashi kr lunga", "self-harm")]
    [InlineData("kisi ko meri parwa nahi", "self-harm")]
    [InlineData("sab tumse nafrat karte hen", "bullying")]
    [InlineData("tumhara koi dost nahi", "bullying")]
    [InlineData("تمہیں جان سے مار دوں گا", "violence")] // a threat to kill is violence, as in English
    [InlineData("tujhe goli maar dunga", "violence")]
    [InlineData("kal school mein bandook launga", "violence")]
    [InlineData("nangi pic bhejo", "grooming")]
    [InlineData("kisi ko mt batana", "grooming")] // mat = mt (morphology)
    [InlineData("chat delete kar do", "grooming")]
    public void Scan_Urdu_VocabularyAreasAndForms_Caught(string text, string category) => AssertCaught(text, category);

    [Theory]
    [InlineData("quien vende hierba", "drugs")]
    [InlineData("vendo farlopa", "drugs")]
    [InlineData("vete a tu pais", "hate")]
    [InlineData("me uno al estado islamico", "extremism")]
    [InlineData("videos de sexo", "sexual-content")]
    [InlineData("kto ma mefę", "drugs")]
    [InlineData("wracaj do swojego kraju", "hate")]
    [InlineData("dołączę do państwa islamskiego", "extremism")]
    [InlineData("strony porno", "sexual-content")]
    [InlineData("ابيع حشيش", "drugs")]
    [InlineData("ارجع لبلدك", "hate")]
    [InlineData("بدي اجاهد", "extremism")]
    [InlineData("افلام اباحية", "sexual-content")]
    [InlineData("ganja chahiye", "drugs")]
    [InlineData("چرس", "drugs")]
    [InlineData("fidai banna", "extremism")]
    [InlineData("gandi video", "sexual-content")]
    [InlineData("pwy sy'n gwerthu canabis", "drugs")]
    public void Scan_OtherLanguages_DrugsHateExtremismSexualContent_Caught(string text, string category) => AssertCaught(text, category);

    [Fact]
    public void Normalise_FreeStandingHamza_IsDropped()
    {
        TextNormaliser.Normalise("إيذاء شيء").Text.ShouldBe(TextNormaliser.Normalise("ايذا شي").Text);
    }

    private static void AssertCaught(string text, string category)
    {
        var result = PhraseMatcher.BuiltIn.Scan(text);

        result.ScoreOf(category).ShouldBeGreaterThan(0, TextSpeakTests.Describe(text, result));
    }

    [Theory]
    [InlineData("Dw i'n hoffi chwarae pêl-droed gyda fy ffrindiau")]
    [InlineData("Mae'r gyllell ar y bwrdd yn y gegin")]
    [InlineData("Lubię chodzić do szkoły z przyjaciółmi")]
    [InlineData("میں کل اسکول جاؤں گا")]
    [InlineData("main kal school jaunga")]
    [InlineData("أنا أحب المدرسة")]
    [InlineData("هل أنت بخير")]
    [InlineData("Mae'r athro yn dod â'r llyfrau i'r ysgol bob dydd")]
    [InlineData("Dw i'n meddwl am fy ngwyliau yn yr haf")]
    [InlineData("Mama kupiła nowy nóż do kuchni")]
    [InlineData("Jutro w szkole mamy lekcję biologii i przerwę na obiad")]
    [InlineData("Voy a cortar el pan con un cuchillo")]
    [InlineData("Mañana vamos al colegio en autobús con mis amigos")]
    [InlineData("ذهبت إلى المدرسة مع أصدقائي اليوم")]
    [InlineData("شيء جميل")]
    [InlineData("میں کل اسکول میں کرکٹ کھیلوں گا")]
    [InlineData("main school mein cricket khelunga")]
    [InlineData("Busco a Maria en el patio")] // a name, not the drug
    [InlineData("Compro pastillas para la tos en la farmacia")]
    [InlineData("Kupię kryształ dla babci")]
    [InlineData("يا عبد الله تعال هنا")] // a name beginning عبد
    [InlineData("عندي حبوب للصداع")] // medicine
    [InlineData("Dw i eisiau prynu coke yn y siop")] // the drink
    [InlineData("نحن نتعلم عن الجهاد في التاريخ")]
    public void Scan_OrdinarySentences_RaiseNothing(string text)
    {
        var result = PhraseMatcher.BuiltIn.Scan(text);

        result.Scores.Where(s => s.Score > 0).ShouldBeEmpty(TextSpeakTests.Describe(text, result));
    }
}
