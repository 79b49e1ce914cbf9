using RpaWorker.Drivers.Desktop.Pixel;
using RpaWorker.Drivers.Desktop.Pixel.Reading;
using RpaWorker.Vision.Imaging;
using RpaWorker.Vision.Ocr;

namespace RpaWorker.Drivers.Desktop.Tests.Pixel;

public sealed class PixelUnitTests
{
    [Theory]
    // immunizations-mrna.png (generated:6:7, the third patient's immunizations, first row selected): the page reading's
    // words of one vaccine name. "mRNA" is read "MRNA," in every look; its m stands only as tall as a small letter.
    [InlineData("MRNA,", 282, 193, 43, 10, true)]
    [InlineData("mRNA,", 282, 193, 43, 10, false)]
    [InlineData("SARS-COV-2", 63, 193, 78, 9, false)]
    [InlineData("spike", 331, 191, 32, 14, false)]
    [InlineData("MRNA,", 282, 216, 43, 10, true)]
    public void CaseContradicted_RecordedWords_FindsACapitalDrawnSmall(string text, int x, int y, int width, int height, bool contradicted)
    {
        var screen = Png.Decode(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Pixel", "Screens", "immunizations-mrna.png")));

        Assert.Equal(contradicted, Glyphs.CaseContradicted(screen.ToGray(), new OcrWord(text, new PixelRect(x, y, width, height), 0.9, 0)));
    }

    [Theory]
    // medications-selected.png (generated:3:1, the third patient's medication list, first row selected): the capital I
    // of "Ibuprofen" as light text on the selection bar, then the i of "Acetaminophen" in the row under it.
    [InlineData(80, 188, 30, 18, false)]
    [InlineData(133, 208, 10, 18, true)]
    public void FirstIsDotted_RecordedGlyphs_TellsAnIFromAnI(int x, int y, int width, int height, bool dotted)
    {
        var screen = Png.Decode(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Pixel", "Screens", "medications-selected.png")));

        Assert.Equal(dotted, Glyphs.FirstIsDotted(screen.Crop(new PixelRect(x, y, width, height))));
    }

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

    // A list of "rows": 12-pixel bands, each with a different pattern of dark pixels, on a white background.
    private static GrayImage List(int width, int height, int firstRow)
    {
        var pixels = new byte[width * height];
        Array.Fill(pixels, (byte)255);
        for (var y = 0; y < height; y++)
        {
            var row = (y + firstRow) / 12;
            if ((y + firstRow) % 12 is < 3 or > 9)
            {
                continue;
            }
            for (var x = 0; x < width; x++)
            {
                if ((x * 7 + row * 13 + (y + firstRow) % 12) % (5 + row % 7) == 0)
                {
                    pixels[y * width + x] = 20;
                }
            }
        }
        return new GrayImage(width, height, pixels);
    }

    [Theory]
    [InlineData(12)]
    [InlineData(37)]
    [InlineData(150)]
    public void ScrollShiftFind_ListScrolledUp_IsTheDistanceItMoved(int moved)
    {
        var before = List(300, 240, 0);
        var after = List(300, 240, moved);

        Assert.Equal(moved, ScrollShift.Find(before, after, new PixelRect(0, 0, 300, 240)));
    }

    [Fact]
    public void ScrollShiftFind_ListRedrawnWithOtherRows_IsNull()
    {
        var before = List(300, 240, 0);
        var after = List(300, 240, 2000);

        Assert.Null(ScrollShift.Find(before, after, new PixelRect(0, 0, 300, 240)));
    }
}
