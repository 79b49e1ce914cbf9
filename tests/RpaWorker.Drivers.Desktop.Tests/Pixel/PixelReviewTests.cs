using System.Diagnostics;
using RpaWorker.Drivers.Desktop.Pixel;
using RpaWorker.Drivers.Desktop.Pixel.Reading;
using RpaWorker.Drivers.Desktop.Tests.Pixel.Support;
using RpaWorker.Ui;
using RpaWorker.Vision.Imaging;
using RpaWorker.Vision.Ocr;
using RpaWorker.Vision.Ocr.Tesseract;
using static RpaWorker.Drivers.Desktop.Tests.Pixel.Support.PixelFlows;

namespace RpaWorker.Drivers.Desktop.Tests.Pixel;

/// <summary>Values the driver must not vouch for: a record number of the wrong shape, and one OCR can barely see.</summary>
[Collection(PixelCollection.Name)]
public sealed class PixelReviewTests(PixelFixture fixture)
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G'];

    private void AssertPictureKept(UiReading reading)
    {
        Assert.NotNull(reading.Evidence);
        Assert.Equal(Path.GetFullPath(fixture.ReviewFolder), Path.GetDirectoryName(Path.GetFullPath(reading.Evidence)));
        Assert.Equal(PngSignature, File.ReadAllBytes(reading.Evidence).Take(4));
        Assert.Contains(Path.GetFileName(reading.Evidence), reading.Review);
    }

    [Fact]
    public async Task ReadTextAsync_MrnWithALetterOnScreen_IsUnverifiedAndKeptForReview()
    {
        await using var app = await ChromiumApp.LaunchAsync(CraftedBanner.Address, "Crafted", fixture.Display);
        await using var session = await fixture.Driver.OpenSessionAsync(new UiSessionOptions(), None);
        AssertOk(await session.NavigateAsync(app.Address, PixelFixture.Wait, None));
        // The window has its title as soon as the page's head is read; on a loaded machine its body is painted later.
        var painted = Stopwatch.StartNew();
        while (!await session.ShowsTextAsync("Female", None) && painted.Elapsed < PixelFixture.Wait)
        {
            await Task.Delay(250);
        }
        var mrn = Target(LocatorKind.RightOf, "MRN:", "banner.mrn");

        var text = await session.ReadTextAsync(mrn, PixelFixture.Wait, None);
        var checkedRead = await session.ReadCheckedAsync(mrn, new UiValueCheck { Field = "banner.mrn" }, PixelFixture.Wait, None);
        var dob = await session.ReadTextAsync(Target(LocatorKind.RightOf, "DOB:", "banner.dob"), PixelFixture.Wait, None);

        Assert.Equal(UiFailure.Unverified, text.Failure);
        Assert.Contains("banner.mrn", text.Reason);
        Assert.Contains("expected shape", text.Reason);
        Assert.DoesNotContain(CraftedBanner.BadMrn, text.Reason);
        AssertOk(checkedRead);
        Assert.True(checkedRead.Value!.NeedsReview);
        Assert.Equal(CraftedBanner.BadMrn, checkedRead.Value.Text);
        Assert.Contains("field 'banner.mrn'", checkedRead.Value.Review);
        Assert.DoesNotContain(CraftedBanner.BadMrn, checkedRead.Value.Review);
        AssertPictureKept(checkedRead.Value);
        // The same screen's well-formed date is not held back.
        AssertOk(dob);
        Assert.Equal(CraftedBanner.Dob, dob.Value);
    }

    [Fact]
    public async Task ReadCheckedAsync_MrnGarbledOnARecordedScreen_IsHeldForReviewNotReturned()
    {
        var live = await fixture.ChartSessionAsync();
        var screen = Png.Decode(await live.ScreenshotAsync(None));
        var mrnBox = await ValueBoxAsync(screen, "MRN:");
        var garbled = Garble(screen, mrnBox, seed: 7);

        var clean = await ReadRecordedAsync(screen, session => session.ReadTextAsync(Target(LocatorKind.RightOf, "MRN:", "banner.mrn"), PixelFixture.Wait, None));
        var held = await ReadRecordedAsync(garbled, session =>
            session.ReadCheckedAsync(Target(LocatorKind.RightOf, "MRN:", "banner.mrn"), new UiValueCheck { Field = "banner.mrn" }, PixelFixture.Wait, None));
        var refused = await ReadRecordedAsync(garbled, session => session.ReadTextAsync(Target(LocatorKind.RightOf, "MRN:", "banner.mrn"), PixelFixture.Wait, None));

        // The recorded screen as it was reads like the live one ...
        AssertOk(clean);
        Assert.Equal(fixture.Chart.Patient.Mrn, clean.Value);
        // ... and with the number's pixels scrambled it is flagged, with its picture, instead of passed on.
        AssertOk(held);
        Assert.True(held.Value!.NeedsReview, $"a garbled MRN read as '{held.Value.Text}' with confidence {held.Value.Confidence:0.00} was not flagged");
        AssertPictureKept(held.Value);
        Assert.Equal(UiFailure.Unverified, refused.Failure);
        Assert.DoesNotContain(fixture.Chart.Patient.Mrn, refused.Reason);
    }

    [Fact]
    public async Task ClickAsync_OnARecordedScreen_IsBlockedBecauseNothingChanges()
    {
        var live = await fixture.ChartSessionAsync();
        var screen = Png.Decode(await live.ScreenshotAsync(None));
        var input = new NoInput();
        await using var driver = new PixelUiDriver(new ImageScreenSource("recorded chart", screen), input, TesseractOcr.Shared(), PixelFixture.Options(fixture.ReviewFolder));
        await using var session = await driver.OpenSessionAsync(new UiSessionOptions(), None);
        AssertOk(await session.NavigateAsync("recorded chart", PixelFixture.Wait, None));

        var click = await session.ClickAsync(Target(LocatorKind.Text, "Logout", "menu.logout"), TimeSpan.FromSeconds(2), None);

        Assert.Equal(UiFailure.Blocked, click.Failure);
        Assert.Single(input.Actions, a => a.StartsWith("click ", StringComparison.Ordinal));
    }

    private async Task<T> ReadRecordedAsync<T>(ScreenImage image, Func<IUiSession, Task<T>> read)
    {
        await using var driver = new PixelUiDriver(new ImageScreenSource("recorded chart", image), new NoInput(), TesseractOcr.Shared(),
            PixelFixture.Options(fixture.ReviewFolder));
        await using var session = await driver.OpenSessionAsync(new UiSessionOptions(), None);
        AssertOk(await session.NavigateAsync($"x11:id={ImageScreenSource.WindowId}", PixelFixture.Wait, None));
        return await read(session);
    }

    private static async Task<PixelRect> ValueBoxAsync(ScreenImage image, string label)
    {
        var capture = new ScreenCapture(image, image.Bounds);
        var screen = new ScreenText(capture, await TesseractOcr.Shared().RecognizeAsync(image, OcrRequest.Screen, None));
        var (matches, _) = TargetResolver.Resolve(screen, new UiLocator(LocatorKind.RightOf, label), TargetUse.Read);
        return Assert.Single(matches).Box;
    }

    // Every other pixel of the value replaced by noise, the way a poor remote-desktop link smears small text.
    private static ScreenImage Garble(ScreenImage image, PixelRect box, int seed)
    {
        var random = new Random(seed);
        var bytes = image.Pixels.ToArray();
        for (var y = box.Y; y < box.Bottom; y++)
        {
            for (var x = box.X; x < box.Right; x++)
            {
                if (random.NextDouble() < 0.5)
                {
                    var i = (y * image.Width + x) * ScreenImage.BytesPerPixel;
                    bytes[i] = bytes[i + 1] = bytes[i + 2] = (byte)random.Next(256);
                }
            }
        }
        return new ScreenImage(image.Width, image.Height, bytes);
    }
}
