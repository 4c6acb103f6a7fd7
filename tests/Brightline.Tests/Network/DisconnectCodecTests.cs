using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Brightline.Network;
using Brightline.Policy.Model;

namespace Brightline.Tests.Network;

/// <summary>
/// The Disconnect-Request codec (RFC 5176) against RFC 2865's published example, against the test NAS's own
/// verification (written separately from the RFCs), and the test NAS against FreeRADIUS's radclient — so the codec
/// and the test NAS are each checked by something that is not themselves.
/// </summary>
public sealed class DisconnectCodecTests
{
    private const string Secret = "controller-secret-1";
    private static readonly byte[] s_secret = Encoding.UTF8.GetBytes(Secret);

    private static DisconnectRequest Request() => new()
    {
        UserName = "priya.patel@school.test",
        AcctSessionId = "session-1",
        CallingStationId = "11-22-33-44-55-66",
        NasAddress = IPAddress.Parse("10.0.0.2"),
        NasIdentifier = "controller",
        EventTimestamp = new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero),
    };

    private static byte[] Encode(DisconnectRequest request, byte identifier = 7)
    {
        var buffer = new byte[DisconnectCodec.MaxPacketLength];
        var length = DisconnectCodec.EncodeRequest(buffer, identifier, request, s_secret);
        return buffer[..length];
    }

    [Fact]
    public void Md5WithSecret_GivesRfc2865sResponseAuthenticator()
    {
        // RFC 2865 §7.1: the Access-Accept to nemo's Access-Request, shared secret "xyzzy5461".
        var accept = Convert.FromHexString("0200002686fe220e7624ba2a1005f6bf9b55e0b2060600000001" + "0f0600000000" + "0e06c0a80103");
        var signed = accept.ToArray();
        Convert.FromHexString("0f403f9473978057bd83d5cb98f4227a").CopyTo(signed, 4);
        var authenticator = new byte[16];

        DisconnectCodec.Md5WithSecret(signed, Encoding.ASCII.GetBytes("xyzzy5461"), authenticator);

        Convert.ToHexString(authenticator).ShouldBe(Convert.ToHexString(accept, 4, 16));
    }

    [Fact]
    public void EncodeRequest_IsADisconnectRequestWithEveryIdentifyingAttribute_SignedAsRfc5176Says()
    {
        var packet = Encode(Request());

        packet[0].ShouldBe((byte)40);
        packet[1].ShouldBe((byte)7);
        packet[20].ShouldBe((byte)80, "Message-Authenticator first (BlastRADIUS advice)");
        var received = TestDisconnectServer.Verify(packet, s_secret).ShouldNotBeNull();
        received.RequestAuthenticatorValid.ShouldBeTrue();
        received.MessageAuthenticatorValid.ShouldBeTrue();
        received.Text(DisconnectCodec.UserName).ShouldBe("priya.patel@school.test");
        received.Text(DisconnectCodec.AcctSessionId).ShouldBe("session-1");
        received.Text(DisconnectCodec.CallingStationId).ShouldBe("11-22-33-44-55-66");
        received.Text(DisconnectCodec.NasIdentifier).ShouldBe("controller");
        received.Attributes[DisconnectCodec.NasIpAddress].ShouldBe([10, 0, 0, 2]);
        received.Attributes[DisconnectCodec.EventTimestamp].ShouldBe(BitConverter.GetBytes((uint)1795600800).Reverse().ToArray());

        var other = TestDisconnectServer.Verify(packet, Encoding.UTF8.GetBytes("another-secret")).ShouldNotBeNull();
        other.RequestAuthenticatorValid.ShouldBeFalse();
        other.MessageAuthenticatorValid.ShouldBeFalse();
    }

    [Fact]
    public void EncodeRequest_LeavesOutWhatTheSessionLacks_AndWritesAnIpv6Nas()
    {
        var packet = Encode(Request() with { CallingStationId = null, NasIdentifier = null, NasAddress = IPAddress.Parse("2001:db8::2") });

        var received = TestDisconnectServer.Verify(packet, s_secret).ShouldNotBeNull();
        received.RequestAuthenticatorValid.ShouldBeTrue();
        received.Attributes.Keys.Order().ShouldBe(new byte[] { 1, 44, 55, 80, 95 });
        new IPAddress(received.Attributes[DisconnectCodec.NasIpv6Address]).ShouldBe(IPAddress.Parse("2001:db8::2"));
        Should.Throw<ArgumentException>(() => Encode(Request() with { UserName = new string('a', 254) }));
    }

    [Fact]
    public void ReadReply_TakesOnlyAuthenticAnswersToThisRequest()
    {
        var request = Encode(Request());
        var authenticator = request.AsSpan(4, 16).ToArray();

        DisconnectCodec.ReadReply(TestDisconnectServer.Answer(request, 41, null, s_secret), 7, authenticator, s_secret)
            .ShouldBe(new DisconnectReply(DisconnectReplyKind.Ack));
        var nak = DisconnectCodec.ReadReply(TestDisconnectServer.Answer(request, 42, 503, s_secret), 7, authenticator, s_secret);
        nak.ShouldBe(new DisconnectReply(DisconnectReplyKind.Nak, 503));
        nak!.Value.ErrorCauseText.ShouldBe("503 session context not found");

        // Another secret, another request's identifier, another request's authenticator: not an answer to this request.
        DisconnectCodec.ReadReply(TestDisconnectServer.Answer(request, 41, null, Encoding.UTF8.GetBytes("wrong")), 7, authenticator, s_secret).ShouldBeNull();
        DisconnectCodec.ReadReply(TestDisconnectServer.Answer(request, 41, null, s_secret), 8, authenticator, s_secret).ShouldBeNull();
        DisconnectCodec.ReadReply(TestDisconnectServer.Answer(request, 41, null, s_secret), 7, new byte[16], s_secret).ShouldBeNull();

        // A Message-Authenticator that does not verify, even under a valid Response Authenticator, is refused.
        var badMa = TestDisconnectServer.Answer(request, 41, null, s_secret);
        badMa[22] ^= 1;
        Resign(badMa, authenticator);
        DisconnectCodec.ReadReply(badMa, 7, authenticator, s_secret).ShouldBeNull();

        // Without Message-Authenticator (optional in an answer, RFC 5176 §3.5) the Response Authenticator decides.
        var plain = new byte[20];
        plain[0] = 41;
        plain[1] = 7;
        plain[3] = 20;
        Resign(plain, authenticator);
        DisconnectCodec.ReadReply(plain, 7, authenticator, s_secret).ShouldBe(new DisconnectReply(DisconnectReplyKind.Ack));

        // Malformed: an attribute running past the end, a zero-length attribute, a Length beyond the datagram, a request code.
        var overrun = TestDisconnectServer.Answer(request, 41, null, s_secret);
        overrun[21] = 30;
        DisconnectCodec.ReadReply(overrun, 7, authenticator, s_secret).ShouldBeNull();
        var zero = TestDisconnectServer.Answer(request, 41, null, s_secret);
        zero[21] = 0;
        DisconnectCodec.ReadReply(zero, 7, authenticator, s_secret).ShouldBeNull();
        DisconnectCodec.ReadReply(plain[..19], 7, authenticator, s_secret).ShouldBeNull();
        var code = plain.ToArray();
        code[0] = 40;
        Resign(code, authenticator);
        DisconnectCodec.ReadReply(code, 7, authenticator, s_secret).ShouldBeNull();
    }

    private static void Resign(byte[] answer, byte[] requestAuthenticator)
    {
        requestAuthenticator.CopyTo(answer, 4);
        MD5.HashData([.. answer, .. s_secret]).CopyTo(answer, 4);
    }

    [Fact]
    public async Task TheTestNas_VerifiesFreeRadiussRadclient_AndRadclientAcceptsItsAnswer()
    {
        if (!FreeRadiusServer.Installed)
        {
            return; // radclient comes with freeradius-utils (test.sh installs it)
        }

        using var nas = new TestDisconnectServer(Secret) { ErrorCause = 503 };
        var psi = new ProcessStartInfo(FreeRadiusServer.RadClient) { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-x", "-t", "5", "-r", "1", $"127.0.0.1:{nas.Port}", "disconnect", Secret })
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi)!;
        await process.StandardInput.WriteAsync("User-Name = \"priya.patel@school.test\"\nAcct-Session-Id = \"session-1\"\nMessage-Authenticator = 0x00\n");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        var output = await stdout + await stderr;

        var received = nas.Received.ShouldHaveSingleItem();
        received.Code.ShouldBe((byte)40);
        received.RequestAuthenticatorValid.ShouldBeTrue(output);
        received.MessageAuthenticatorValid.ShouldBeTrue(output);
        output.ShouldContain("Received Disconnect-ACK");
        process.ExitCode.ShouldBe(0, output);
    }

    [Theory]
    [InlineData("10.0.0.2", "controller")]
    [InlineData("10.0.1.7", "switches")]
    [InlineData("10.0.1.9", "one-switch")]
    [InlineData("10.0.2.1", null)]
    public void ClientFor_TheNarrowestCoveringClient(string address, string? expected)
    {
        var network = new NetworkPolicy
        {
            RadiusClients =
            [
                new RadiusClientPolicy { Name = "controller", Address = "10.0.0.2", SecretSetting = "c" },
                new RadiusClientPolicy { Name = "switches", Address = "10.0.1.5/24", SecretSetting = "s" },
                new RadiusClientPolicy { Name = "one-switch", Address = "10.0.1.9", SecretSetting = "o", DisconnectPort = 1700 },
            ],
        };

        (SessionDisconnects.ClientFor(network, IPAddress.Parse(address))?.Name).ShouldBe(expected);
    }
}
