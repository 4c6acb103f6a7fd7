using System.Buffers.Binary;
using System.Net;
using Brightline.Dns.Wire;

namespace Brightline.Dns.Tests;

public sealed class WireFormatTests
{
    public static TheoryData<DnsRecordType, DnsRecordData> Records => new()
    {
        { DnsRecordType.A, new ARecordData(IPAddress.Parse("192.0.2.1")) },
        { DnsRecordType.AAAA, new AaaaRecordData(IPAddress.Parse("2001:db8::1")) },
        { DnsRecordType.CNAME, new NameRecordData("target.example.org") },
        { DnsRecordType.NS, new NameRecordData("ns1.example.org") },
        { DnsRecordType.PTR, new NameRecordData("host.example.org") },
        { DnsRecordType.MX, new MxRecordData(10, "mail.example.org") },
        { DnsRecordType.SOA, new SoaRecordData("ns1.example.org", "hostmaster.example.org", 2024010101, 3600, 600, 86400, 300) },
        { DnsRecordType.TXT, new TxtRecordData(["v=spf1 -all", "", "second string"]) },
        { DnsRecordType.SRV, new SrvRecordData(10, 60, 5060, "sip.example.org") },
        { DnsRecordType.HTTPS, new OpaqueRecordData([0, 1, 0, 0, 1, 0, 3, 2, 104, 50]) },
        { DnsRecordType.SVCB, new OpaqueRecordData([0, 1, 3, 102, 111, 111, 0]) },
        { (DnsRecordType)65280, new OpaqueRecordData([1, 2, 3]) },
    };

    [Theory]
    [MemberData(nameof(Records))]
    public void Parse_RoundTripOfEachRecordType_ReturnsSameRecord(DnsRecordType type, DnsRecordData data)
    {
        var message = new DnsMessage { Id = 77, IsResponse = true, RecursionDesired = true, RecursionAvailable = true };
        message.Questions.Add(new DnsQuestion("www.example.org", type));
        message.Answers.Add(new DnsResourceRecord("www.example.org", type, DnsClass.IN, 3600, data));
        message.Authorities.Add(new DnsResourceRecord("example.org", DnsRecordType.NS, DnsClass.IN, 60, new NameRecordData("ns1.example.org")));
        message.Additionals.Add(new DnsResourceRecord("ns1.example.org", DnsRecordType.A, DnsClass.IN, 60, new ARecordData(IPAddress.Parse("192.0.2.53"))));

        DnsMessage parsed = DnsMessage.Parse(message.ToArray());

        parsed.Id.ShouldBe((ushort)77);
        parsed.IsResponse.ShouldBeTrue();
        parsed.RecursionDesired.ShouldBeTrue();
        parsed.RecursionAvailable.ShouldBeTrue();
        parsed.Questions.ShouldBe(message.Questions);
        parsed.Answers.ShouldBe(message.Answers);
        parsed.Authorities.ShouldBe(message.Authorities);
        parsed.Additionals.ShouldBe(message.Additionals);
    }

    [Fact]
    public void ToArray_RepeatedNames_CompressesWithPointers()
    {
        var message = new DnsMessage { IsResponse = true };
        message.Questions.Add(new DnsQuestion("www.example.org", DnsRecordType.A));
        for (int i = 0; i < 5; i++)
        {
            message.Answers.Add(new DnsResourceRecord("WWW.example.org", DnsRecordType.A, DnsClass.IN, 60, new ARecordData(new IPAddress([192, 0, 2, (byte)i]))));
        }

        message.Answers.Add(new DnsResourceRecord("mail.example.org", DnsRecordType.MX, DnsClass.IN, 60, new MxRecordData(1, "mx.example.org")));
        byte[] wire = message.ToArray();

        // Header 12 + question 17+4; each A answer 2 (pointer) + 10 + 4; MX owner "mail"+ptr 7, +10, pref 2, "mx"+ptr 5.
        wire.Length.ShouldBe(12 + 21 + (5 * 16) + 7 + 10 + 2 + 5);
        BinaryPrimitives.ReadUInt16BigEndian(wire.AsSpan(33)).ShouldBe((ushort)(0xC000 | 12));
        DnsMessage parsed = DnsMessage.Parse(wire);
        parsed.Answers[^1].ShouldBe(message.Answers[^1]);
        parsed.Answers[0].Name.ShouldBe("www.example.org"); // the pointer reuses the first spelling
    }

    [Fact]
    public void ToArray_SrvTarget_IsNotCompressed()
    {
        var message = new DnsMessage { IsResponse = true };
        message.Questions.Add(new DnsQuestion("_sip._tcp.example.org", DnsRecordType.SRV));
        message.Answers.Add(new DnsResourceRecord("_sip._tcp.example.org", DnsRecordType.SRV, DnsClass.IN, 60, new SrvRecordData(1, 2, 3, "example.org")));
        byte[] wire = message.ToArray();
        wire.AsSpan(wire.Length - 13).ToArray().ShouldBe(new byte[] { 7, (byte)'e', (byte)'x', (byte)'a', (byte)'m', (byte)'p', (byte)'l', (byte)'e', 3, (byte)'o', (byte)'r', (byte)'g', 0 });
    }

    [Fact]
    public void Parse_EdnsOpt_PreservesPayloadSizeDoBitVersionAndOptions()
    {
        var message = new DnsMessage { IsResponse = true, ResponseCode = DnsResponseCode.BadVers };
        message.Edns = new DnsEdns(4096, 0, 0, DnssecOk: true) { Options = [0, 10, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8] };

        DnsMessage parsed = DnsMessage.Parse(message.ToArray());

        parsed.ResponseCode.ShouldBe(DnsResponseCode.BadVers);
        parsed.Edns.ShouldNotBeNull();
        parsed.Edns.UdpPayloadSize.ShouldBe((ushort)4096);
        parsed.Edns.DnssecOk.ShouldBeTrue();
        parsed.Edns.ExtendedRcodeHigh.ShouldBe((byte)1);
        parsed.Edns.Options.ShouldBe(new byte[] { 0, 10, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8 });
    }

    [Theory]
    [InlineData("Example.ORG", "example.org")]
    [InlineData("example.org.", "example.org")]
    [InlineData(".", "")]
    [InlineData("a\\.b.example", "a\\.b.example")]
    [InlineData("t\\009ab.example", "t\\009ab.example")]
    public void QueryReader_Name_IsNormalised(string name, string expected)
    {
        byte[] query = DnsTestClient.Query(name, DnsRecordType.A);
        DnsQueryReader.Read(query, out DnsQuery parsed).ShouldBe(DnsQueryStatus.Ok);
        parsed.Name.ShouldBe(expected);
    }

    [Fact]
    public void QueryReader_EdnsQuery_ReadsPayloadAndDoBit()
    {
        byte[] query = DnsTestClient.Query("example.org", DnsRecordType.AAAA, edns: new DnsEdns(1400, DnssecOk: true));
        DnsQueryReader.Read(query, out DnsQuery parsed).ShouldBe(DnsQueryStatus.Ok);
        parsed.HasEdns.ShouldBeTrue();
        parsed.UdpPayloadSize.ShouldBe((ushort)1400);
        parsed.DnssecOk.ShouldBeTrue();
        parsed.Type.ShouldBe(DnsRecordType.AAAA);
    }

    public static TheoryData<string, byte[], DnsQueryStatus> MalformedQueries()
    {
        byte[] header = [0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0];
        byte[] valid = DnsTestClient.Query("example.org", DnsRecordType.A);
        byte[] longLabel = [.. header, 64, .. new byte[64], 0, 0, 1, 0, 1];
        var longName = new List<byte>(header);
        for (int i = 0; i < 5; i++)
        {
            longName.Add(60);
            longName.AddRange(Enumerable.Repeat((byte)'a', 60));
        }

        longName.AddRange([0, 0, 1, 0, 1]);
        byte[] selfPointer = [.. header, 1, (byte)'a', 0xC0, 12, 0, 1, 0, 1];
        byte[] forwardPointer = [.. header, 0xC0, 20, 0, 1, 0, 1, 0, 0, 0, 0];
        byte[] headerPointer = [.. header, 0xC0, 2, 0, 1, 0, 1];
        byte[] countsTooLarge = [.. valid];
        countsTooLarge[11] = 200; // ARCOUNT
        byte[] twoQuestions = [.. valid];
        twoQuestions[5] = 2;
        byte[] reservedLabel = [.. header, 0x40, 1, 0, 0, 1, 0, 1];
        byte[] noType = [.. header, 1, (byte)'a', 0, 0];
        byte[] opt = DnsTestClient.Query("example.org", DnsRecordType.A, edns: new DnsEdns(1232) { Options = [0, 10, 0, 2, 1, 2] });
        byte[] badOptLength = [.. opt];
        badOptLength[^3] = 9; // option length beyond RDATA
        byte[] optNotRoot = [.. opt];
        int optStart = opt.Length - 17;
        optNotRoot[optStart] = 0xC0; // owner becomes a pointer, not the root
        byte[] twoOpts = [.. opt[..^17], .. opt[^17..], .. opt[^17..]];
        twoOpts[11] = 2;
        byte[] response = [.. valid];
        response[2] |= 0x80;
        byte[] notify = [.. valid];
        notify[2] = (byte)(notify[2] | (4 << 3));
        byte[] badVersion = DnsTestClient.Query("example.org", DnsRecordType.A, edns: new DnsEdns(1232, Version: 1));
        return new TheoryData<string, byte[], DnsQueryStatus>
        {
            { "empty", [], DnsQueryStatus.Drop },
            { "truncated header", header[..7], DnsQueryStatus.Drop },
            { "header only", header, DnsQueryStatus.FormErr },
            { "truncated question", valid[..^3], DnsQueryStatus.FormErr },
            { "label over 63", longLabel, DnsQueryStatus.FormErr },
            { "name over 255", [.. longName], DnsQueryStatus.FormErr },
            { "pointer loop", selfPointer, DnsQueryStatus.FormErr },
            { "forward pointer", forwardPointer, DnsQueryStatus.FormErr },
            { "pointer into header", headerPointer, DnsQueryStatus.FormErr },
            { "counts larger than packet", countsTooLarge, DnsQueryStatus.FormErr },
            { "two questions", twoQuestions, DnsQueryStatus.FormErr },
            { "reserved label type", reservedLabel, DnsQueryStatus.FormErr },
            { "missing type", noType, DnsQueryStatus.FormErr },
            { "bad OPT option length", badOptLength, DnsQueryStatus.FormErr },
            { "OPT owner not root", optNotRoot, DnsQueryStatus.FormErr },
            { "two OPT records", twoOpts, DnsQueryStatus.FormErr },
            { "a response", response, DnsQueryStatus.Drop },
            { "NOTIFY opcode", notify, DnsQueryStatus.NotImp },
            { "EDNS version 1", badVersion, DnsQueryStatus.BadVersion },
        };
    }

    [Theory]
    [MemberData(nameof(MalformedQueries))]
    public void QueryReader_MalformedInput_IsClassifiedWithoutThrowing(string description, byte[] packet, DnsQueryStatus expected)
    {
        DnsQueryReader.Read(packet, out _).ShouldBe(expected, description);
        if (expected is DnsQueryStatus.FormErr && packet.Length >= 12)
        {
            Should.Throw<DnsFormatException>(() => DnsMessage.Parse(packet), description);
        }
    }

    [Fact]
    public void Parse_PointerChainLoop_ThrowsTypedException()
    {
        // Two names pointing at each other: offset 12 -> 14 is forward (rejected), 14 -> 12 backward then 12 -> 14 again.
        byte[] packet = [0, 1, 0x81, 0x80, 0, 0, 0, 1, 0, 0, 0, 0, 0xC0, 14, 0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 1, 0, 4, 1, 2, 3, 4];
        DnsFormatException exception = Should.Throw<DnsFormatException>(() => DnsMessage.Parse(packet));
        exception.Error.ShouldBe(DnsFormatError.BadPointer);
    }

    [Theory]
    [InlineData(DnsRecordType.A, new byte[] { 1, 2, 3 })]
    [InlineData(DnsRecordType.AAAA, new byte[] { 1, 2, 3, 4 })]
    [InlineData(DnsRecordType.MX, new byte[] { 0 })]
    [InlineData(DnsRecordType.SOA, new byte[] { 0, 0, 1, 2 })]
    [InlineData(DnsRecordType.TXT, new byte[] { 5, 1 })]
    [InlineData(DnsRecordType.CNAME, new byte[] { 1, 97, 0, 99 })]
    public void Parse_BadRecordData_ThrowsTypedException(DnsRecordType type, byte[] rdata)
    {
        byte[] packet = [0, 1, 0x81, 0x80, 0, 0, 0, 1, 0, 0, 0, 0, 1, (byte)'a', 0, (byte)((ushort)type >> 8), (byte)type, 0, 1, 0, 0, 0, 1, 0, (byte)rdata.Length, .. rdata];
        Should.Throw<DnsFormatException>(() => DnsMessage.Parse(packet));
    }

    [Theory]
    [InlineData("a..b")]
    [InlineData("toolonglabel-0123456789-0123456789-0123456789-0123456789-0123456789")]
    [InlineData("bad\\")]
    [InlineData("bad\\999")]
    public void Encode_InvalidName_Fails(string name)
    {
        DnsName.TryEncode(name, new byte[255], out _).ShouldBeFalse();
    }

    [Fact]
    public void Parse_EveryPrefixOfValidResponse_ThrowsTypedExceptionOrParses()
    {
        var message = new DnsMessage { IsResponse = true, Edns = new DnsEdns(1232) };
        message.Questions.Add(new DnsQuestion("www.example.org", DnsRecordType.A));
        message.Answers.Add(new DnsResourceRecord("www.example.org", DnsRecordType.CNAME, DnsClass.IN, 60, new NameRecordData("cdn.example.net")));
        message.Answers.Add(new DnsResourceRecord("cdn.example.net", DnsRecordType.A, DnsClass.IN, 60, new ARecordData(IPAddress.Parse("192.0.2.9"))));
        byte[] wire = message.ToArray();
        for (int length = 0; length < wire.Length; length++)
        {
            Should.Throw<DnsFormatException>(() => DnsMessage.Parse(wire.AsSpan(0, length)));
        }

        DnsMessage.Parse(wire).Answers.Count.ShouldBe(2);
    }
}
