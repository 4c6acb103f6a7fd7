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

    [Theory]
    [InlineData("Dw i'n hoffi chwarae pêl-droed gyda fy ffrindiau")]
    [InlineData("Mae'r gyllell ar y bwrdd yn y gegin")]
    [InlineData("Lubię chodzić do szkoły z przyjaciółmi")]
    [InlineData("میں کل اسکول جاؤں گا")]
    [InlineData("main kal school jaunga")]
    [InlineData("أنا أحب المدرسة")]
    [InlineData("هل أنت بخير")]
    public void Scan_OrdinarySentences_RaiseNothing(string text)
    {
        var result = PhraseMatcher.BuiltIn.Scan(text);

        result.Scores.Where(s => s.Score > 0).ShouldBeEmpty(TextSpeakTests.Describe(text, result));
    }
}
