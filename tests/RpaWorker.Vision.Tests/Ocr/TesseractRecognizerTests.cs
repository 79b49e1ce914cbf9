using RpaWorker.Vision.Imaging;
using RpaWorker.Vision.Ocr;
using RpaWorker.Vision.Ocr.Tesseract;

namespace RpaWorker.Vision.Tests.Ocr;

/// <summary>
/// Debian's libtesseract5 and English model against a saved screen of the mock EHR's login page (1024x900, drawn by
/// Chromium under Xvfb).
/// </summary>
public sealed class TesseractRecognizerTests
{
    private static readonly ScreenImage Login = Png.Decode(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Screens", "login.png")));

    private static List<string> Texts(OcrResult result) => result.Words.Select(w => w.Text).ToList();

    [Fact]
    public async Task RecognizeAsync_LoginScreen_ReadsItsWordsWithBoxesOnThem()
    {
        var result = await TesseractOcr.Shared().RecognizeAsync(Login, OcrRequest.Screen, CancellationToken.None);

        var texts = Texts(result);
        Assert.Contains("Welcome", texts);
        Assert.Contains("Username:", texts);
        Assert.Contains("Password:", texts);
        Assert.Contains("Login", texts);
        Assert.Contains("Authorized", texts);
        // Boxes are in the screen's coordinates, not the 2x image OCR saw: "Username:" is left of its field at x=400.
        var user = result.Words.First(w => w.Text == "Username:");
        Assert.InRange(user.Box.X, 300, 330);
        Assert.InRange(user.Box.Right, 380, 400);
        Assert.InRange(user.Box.CenterY, 155, 170);
        Assert.All(result.Words, w => Assert.InRange(w.Confidence, 0, 1));
        Assert.True(user.Confidence > 0.8, $"confidence {user.Confidence}");
    }

    [Fact]
    public async Task RecognizeAsync_Region_ReadsOnlyInsideIt()
    {
        var box = new PixelRect(305, 150, 92, 55);

        var result = await TesseractOcr.Shared().RecognizeAsync(Login, new OcrRequest { Region = box }, CancellationToken.None);

        Assert.Equal(["Username:", "Password:"], Texts(result));
        Assert.All(result.Words, w => Assert.True(box.Intersect(w.Box) == w.Box, $"{w.Box} is outside {box}"));
    }

    [Fact]
    public async Task RecognizeAsync_AllowedCharacters_KeepsToThem()
    {
        var result = await TesseractOcr.Shared().RecognizeAsync(Login,
            new OcrRequest { Region = new PixelRect(305, 80, 260, 25), Layout = OcrLayout.Line, AllowedCharacters = "0123456789." },
            CancellationToken.None);

        Assert.All(string.Concat(Texts(result)), c => Assert.Contains(c, "0123456789."));
        // And the next request, without the restriction, reads letters again: the engine was put back as it was.
        var plain = await TesseractOcr.Shared().RecognizeAsync(Login, new OcrRequest { Region = new PixelRect(305, 80, 260, 25), Layout = OcrLayout.Line },
            CancellationToken.None);
        Assert.Contains("Welcome", Texts(plain));
    }

    [Fact]
    public async Task RecognizeAsync_ManyRequests_LoadTheModelOncePerEngine()
    {
        using var pool = new TesseractRecognizer(new TesseractOptions { MaxEngines = 2 });

        for (var i = 0; i < 3; i++)
        {
            await pool.RecognizeAsync(Login, new OcrRequest { Region = new PixelRect(305, 150, 100, 25) }, CancellationToken.None);
        }
        Assert.Single(pool.ModelLoadTimes);

        await Task.WhenAll(Enumerable.Range(0, 6).Select(_ =>
            pool.RecognizeAsync(Login, new OcrRequest { Region = new PixelRect(0, 0, 1024, 300) }, CancellationToken.None)));
        Assert.InRange(pool.ModelLoadTimes.Count, 1, 2);
    }

    [Fact]
    public void Shared_SameModel_IsOnePool()
    {
        Assert.Same(TesseractOcr.Shared(), TesseractOcr.Shared(new TesseractOptions()));
    }

    [Fact]
    public async Task RecognizeAsync_ModelMissing_SaysWhereAndWhatToInstall()
    {
        var folder = Directory.CreateTempSubdirectory("rpa-no-tessdata-").FullName;
        try
        {
            using var pool = new TesseractRecognizer(new TesseractOptions { DataPath = folder });

            var e = await Assert.ThrowsAsync<OcrUnavailableException>(() => pool.RecognizeAsync(Login, OcrRequest.Screen, CancellationToken.None));

            Assert.Contains(Path.Combine(folder, "eng.traineddata"), e.Message);
            Assert.Contains("tesseract-ocr-eng", e.Message);
        }
        finally
        {
            Directory.Delete(folder);
        }
    }

    [Fact]
    public async Task RecognizeAsync_Cancelled_Throws()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => TesseractOcr.Shared().RecognizeAsync(Login, OcrRequest.Screen, cancelled.Token));
    }

    [Fact]
    public void ThreadLimitWarning_FollowsTheEnvironment()
    {
        var set = Environment.GetEnvironmentVariable("OMP_THREAD_LIMIT") == "1";

        Assert.Equal(set, TesseractOcr.ThreadLimitWarning is null);
        if (!set)
        {
            Assert.Contains("OMP_THREAD_LIMIT=1", TesseractOcr.ThreadLimitWarning);
        }
    }
}
