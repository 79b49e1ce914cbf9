using RpaWorker.Drivers.Desktop.AtSpi;

namespace RpaWorker.Drivers.Desktop.Tests.AtSpi;

public sealed class AtSpiAddressTests
{
    [Fact]
    public void TryParse_AppName_AttachesWithoutCommand()
    {
        var address = AtSpiAddress.TryParse("atspi://meddesk", out var error);

        Assert.Null(error);
        Assert.Equal("meddesk", address!.AppName);
        Assert.Null(address.Command);
    }

    [Fact]
    public void TryParse_Exec_SplitsTheDecodedCommandOnSpaces()
    {
        var address = AtSpiAddress.TryParse("atspi://meddesk?exec=rpa%20mock-ehr%20desktop%20--skin%20v2", out _);

        Assert.Equal(["rpa", "mock-ehr", "desktop", "--skin", "v2"], address!.Command);
    }

    [Theory]
    [InlineData("atspi://meddesk/Problem List#MedDesk Classic 4.2 - DOE, JOHN A", null)]
    [InlineData("atspi://meddesk?exec=rpa+mock-ehr+desktop#Login", "rpa mock-ehr desktop")]
    [InlineData("atspi://meddesk/", null)]
    public void TryParse_ScreenPathAndTitle_AreIgnored(string text, string? command)
    {
        var address = AtSpiAddress.TryParse(text, out var error);

        Assert.Null(error);
        Assert.Equal("meddesk", address!.AppName);
        Assert.Equal(command, address.Command is null ? null : string.Join(' ', address.Command));
    }

    [Theory]
    [InlineData("http://meddesk", "starts with atspi://")]
    [InlineData("atspi://", "names no application")]
    [InlineData("atspi://meddesk?run=x", "unknown AT-SPI address parameter 'run'")]
    [InlineData("atspi://meddesk?exec=", "gives no command")]
    public void TryParse_BadAddress_SaysWhatIsWrong(string text, string expected)
    {
        Assert.Null(AtSpiAddress.TryParse(text, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Enter", 0xff0d)]
    [InlineData("Escape", 0xff1b)]
    [InlineData("F5", 0xffc2)]
    [InlineData("a", 'a')]
    public void KeySym_KnownKey_IsTheXKeysym(string key, int keysym) => Assert.Equal(keysym, AtSpiUiSession.KeySym(key));

    [Fact]
    public void KeySym_UnknownKey_IsNull() => Assert.Null(AtSpiUiSession.KeySym("Hyper"));
}
