using RpaWorker.Drivers.Desktop.Pixel;
using RpaWorker.Drivers.Desktop.Tests.Pixel.Support;
using RpaWorker.MockEhr.Generate;
using RpaWorker.Ui;
using RpaWorker.Vision.Ocr.Tesseract;
using static RpaWorker.Drivers.Desktop.Tests.Pixel.Support.PixelFlows;

namespace RpaWorker.Drivers.Desktop.Tests.Pixel;

/// <summary>
/// A saved screenshot of the mock EHR's problem list (default data, generated:25:1), read offline: no X display, the
/// same reading code as a live window.
/// </summary>
public sealed class RecordedScreenTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static async Task<IUiSession> OpenAsync(string review)
    {
        var source = ImageScreenSource.FromPng(Path.Combine(AppContext.BaseDirectory, "Pixel", "Screens", "problems.png"), "MedWeb chart");
        var driver = new PixelUiDriver(source, new NoInput(), TesseractOcr.Shared(), PixelFixture.Options(review));
        var session = await driver.OpenSessionAsync(new UiSessionOptions(), None);
        AssertOk(await session.NavigateAsync("x11:window=MedWeb chart", PixelFixture.Wait, None));
        return session;
    }

    [Fact]
    public async Task ReadTableAsync_RecordedProblemList_MatchesTheGeneratedChart()
    {
        var review = Path.Combine(Path.GetTempPath(), "rpa-pixel-review-" + Guid.NewGuid().ToString("N"));
        await using var session = await OpenAsync(review);

        var mrn = await session.ReadTextAsync(Target(LocatorKind.RightOf, "MRN", "banner.mrn"), PixelFixture.Wait, None);
        var name = await session.ReadTextAsync(Target(LocatorKind.RightOf, "Patient", "banner.name"), PixelFixture.Wait, None);
        var table = await session.ReadTableAsync(Target(LocatorKind.NearHeading, "PROBLEM LIST", "problems"), PixelFixture.Wait, None);

        AssertOk(mrn);
        var chart = Assert.Single(ChartGenerator.Generate(25, 1), c => c.Patient.Mrn == mrn.Value);
        AssertOk(name);
        Assert.Equal($"{chart.Patient.LastName}, {chart.Patient.FirstName} {chart.Patient.MiddleName![..1]}".ToUpperInvariant(), name.Value);
        AssertOk(table);
        Assert.Equal(["Code", "Description", "Onset", "Status", "Resolved"], table.Value!.Headers);
        Assert.Equal(
            chart.Problems.Select(x => (IReadOnlyList<string>)[x.Code, x.Description, Shown.Date(x.OnsetDate), x.Status, Shown.Date(x.ResolvedDate)]),
            table.Value.Rows);
        Assert.False(Directory.Exists(review), "nothing doubtful was read, so no picture should have been kept");
    }

    [Fact]
    public async Task ReadTextAsync_BelowAHeader_ReadsTheFirstRowOfThatColumn()
    {
        await using var session = await OpenAsync(Path.GetTempPath());
        var mrn = await session.ReadTextAsync(Target(LocatorKind.RightOf, "MRN", "banner.mrn"), PixelFixture.Wait, None);
        AssertOk(mrn);
        var chart = ChartGenerator.Generate(25, 1).Single(c => c.Patient.Mrn == mrn.Value);

        var below = await session.ReadTextAsync(Target(LocatorKind.Below, "Description", "problems.first"), PixelFixture.Wait, None);

        AssertOk(below);
        Assert.Equal(chart.Problems[0].Description, below.Value);
    }
}
