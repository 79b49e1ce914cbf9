using RpaWorker.Drivers.Desktop.Pixel;
using RpaWorker.Drivers.Desktop.Pixel.Reading;
using RpaWorker.Vision.Imaging;

namespace RpaWorker.Drivers.Desktop.Tests.Pixel;

public sealed class PixelUnitTests
{
    [Theory]
    [InlineData("x11:window=MedWeb Classic", "window", "MedWeb Classic")]
    [InlineData("window=Citrix Receiver", "window", "Citrix Receiver")]
    [InlineData("MedWeb Classic", "window", "MedWeb Classic")]
    [InlineData("x11:id=0x200002", "id", "0x200002")]
    [InlineData("id=image", "id", "image")]
    public void WindowSelectorParse_Addresses_NameTheWindow(string address, string kind, string value)
    {
        Assert.Equal(new WindowSelector(kind, value), WindowSelector.Parse(address));
    }

    [Theory]
    [InlineData("")]
    [InlineData("x11:window=")]
    [InlineData("x11:id= ")]
    [InlineData("x11:title=MedWeb")]
    public void WindowSelectorParse_AddressNamingNothing_IsNull(string address)
    {
        Assert.Null(WindowSelector.Parse(address));
    }

    [Fact]
    public void WindowSelectorParse_SizeAndExec_GivesBoth()
    {
        var selector = WindowSelector.Parse("x11://MedDesk+Classic?size=1900x740&exec=rpa+mock-ehr+desktop");

        Assert.NotNull(selector);
        Assert.Equal("MedDesk Classic", selector.Value);
        Assert.Equal((1900, 740), selector.Size);
        Assert.Equal(["rpa", "mock-ehr", "desktop"], selector.Command);
    }

    [Theory]
    [InlineData("x11://MedDesk?size=1900", "size= in the X11 address must be WIDTHxHEIGHT")]
    [InlineData("x11://MedDesk?size=50x740", "each from 100 to 16384")]
    [InlineData("x11://MedDesk?width=1900", "unknown X11 address parameter 'width' (known: exec=COMMAND, size=WIDTHxHEIGHT)")]
    public void WindowSelectorTryParse_BadSize_SaysWhatIsWrong(string address, string error)
    {
        Assert.Null(WindowSelector.TryParse(address, out var why));
        Assert.Contains(error, why, StringComparison.Ordinal);
    }

    [Fact]
    public void WindowSelectorPick_SameTitleBeatsContainingIt()
    {
        ScreenWindow W(string id, string title) => new(id, title, new PixelRect(0, 0, 100, 100));
        var windows = new[] { W("1", "MedWeb - Login"), W("2", "medweb"), W("3", "Other") };

        Assert.Equal(["2"], new WindowSelector("window", "MedWeb").Pick(windows).Select(w => w.Id));
        Assert.Equal(["1"], new WindowSelector("window", "login").Pick(windows).Select(w => w.Id));
        Assert.Equal(["3"], new WindowSelector("id", "3").Pick(windows).Select(w => w.Id));
    }

    [Theory]
    [InlineData("Search", "Search", false, false, TextMatch.Same)]
    [InlineData("SEARCH", "Search", false, false, TextMatch.SameIgnoringCase)]
    [InlineData("Patient Search", "Search", false, false, TextMatch.Contains)]
    [InlineData("Patient Search", "Search", true, false, null)]
    [InlineData("Usemame:", "Username:", false, true, TextMatch.Near)]
    [InlineData("Usemame:", "Username:", true, true, null)]
    [InlineData("MRN:", "MRN", true, true, TextMatch.Same)]
    [InlineData("MRN:", "MRN", true, false, null)]
    [InlineData("DOB", "MRN", false, true, null)]
    [InlineData("Code", "Coda", false, false, null)]
    public void TextMatchRank_RanksSameOverCaseOverContainingOverOcrSlip(string candidate, string wanted, bool exact, bool labelLike, int? rank)
    {
        Assert.Equal(rank, TextMatch.Rank(candidate, wanted, exact, labelLike));
    }
}
