using RpaWorker.Drivers.Windows.Uia;

namespace RpaWorker.Drivers.Windows.Tests.Uia;

public sealed class UiaAddressTests
{
    [Theory]
    [InlineData("uia://MedDesk")]
    [InlineData("uia://MedDesk.exe")]
    [InlineData("UIA://MedDesk/Problems#MedDesk - DOE, JOHN")]
    public void TryParse_ProcessName_AttachesWithoutTitleOrCommand(string text)
    {
        var address = UiaAddress.TryParse(text, out var error);

        Assert.Null(error);
        Assert.Equal("MedDesk", address!.ProcessName);
        Assert.Null(address.Title);
        Assert.Null(address.Command);
    }

    [Fact]
    public void TryParse_TitleAndExec_AreDecoded()
    {
        var address = UiaAddress.TryParse("uia://meddesk?title=Patient+Search&exec=%22C:%5CProgram%20Files%5CMedDesk%5Cmeddesk.exe%22%20--skin%20v2", out var error);

        Assert.Null(error);
        Assert.Equal("Patient Search", address!.Title);
        Assert.Equal([@"C:\Program Files\MedDesk\meddesk.exe", "--skin", "v2"], address.Command);
    }

    [Theory]
    [InlineData("atspi://meddesk", "starts with uia://")]
    [InlineData("uia://", "names no process")]
    [InlineData("uia://.exe", "names no process")]
    [InlineData("uia://meddesk?exec=", "gives no command")]
    [InlineData("uia://meddesk?window=Main", "unknown UI Automation address parameter 'window'")]
    public void TryParse_BadAddress_SaysWhatIsWrong(string text, string expected)
    {
        var address = UiaAddress.TryParse(text, out var error);

        Assert.Null(address);
        Assert.Contains(expected, error);
    }
}
