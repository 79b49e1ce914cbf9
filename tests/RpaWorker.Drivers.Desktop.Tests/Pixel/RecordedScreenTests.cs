using RpaWorker.Drivers.Desktop.Pixel;
using RpaWorker.Drivers.Desktop.Tests.Pixel.Support;
using RpaWorker.MockEhr.Generate;
using RpaWorker.Ui;
using RpaWorker.Vision.Ocr.Tesseract;
using static RpaWorker.Drivers.Desktop.Tests.Pixel.Support.PixelFlows;

namespace RpaWorker.Drivers.Desktop.Tests.Pixel;

/// <summary>
/// Saved screenshots of the mock EHR, read offline: no X display, the same reading code as a live window. problems.png is
/// the web version's problem list (default data, generated:25:1); demographics-wide.png the desktop version's chart at
/// 1900x740 (generated:3:1), and immunizations-selected.png its immunization list with the first row selected.
/// </summary>
public sealed class RecordedScreenTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static async Task<IUiSession> OpenAsync(string review, string screen = "problems.png")
    {
        var source = ImageScreenSource.FromPng(Path.Combine(AppContext.BaseDirectory, "Pixel", "Screens", screen), "MedWeb chart");
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

    [Fact]
    public async Task IsVisibleAsync_WideChartWhoseTabStripThePageLayoutGarbles_FindsTheTabsAndTheHeading()
    {
        // On this screen Tesseract's page layout reads the grey tab strip as a few words of nonsense several lines tall:
        // the tabs are missing from its reading and the heading under them is split. The strip is read again alone.
        await using var session = await OpenAsync(Path.GetTempPath(), "demographics-wide.png");

        foreach (var tab in new[] { "Problem List", "MEDICATIONS", "Allergies", "Vitals", "Lab Results", "Immunizations", "Visits" })
        {
            Assert.True(await session.IsVisibleAsync(UiTarget.Of(new UiLocator(LocatorKind.Role, "tab", tab), "tab"), None), $"tab {tab}");
        }
        Assert.True(await session.IsVisibleAsync(Target(LocatorKind.Text, "Patient Demographics", "heading"), None));
    }

    [Fact]
    public async Task ReadTextAsync_BannerValueFollowedCloselyByTheNextLabel_IsTheValueAlone()
    {
        // "MRN:  7049403  DOB:" in a bold banner: the gap before "DOB:" is less than two word spaces.
        await using var session = await OpenAsync(Path.GetTempPath(), "demographics-wide.png");

        var mrn = await session.ReadTextAsync(Target(LocatorKind.RightOf, "MRN:", "banner.mrn"), PixelFixture.Wait, None);
        var dob = await session.ReadTextAsync(Target(LocatorKind.RightOf, "DOB:", "banner.dob"), PixelFixture.Wait, None);

        AssertOk(mrn);
        var chart = Assert.Single(ChartGenerator.Generate(3, 1), c => c.Patient.Mrn == mrn.Value);
        AssertOk(dob);
        Assert.Equal(Shown.Date(chart.Patient.BirthDate), dob.Value);
    }

    [Fact]
    public async Task ReadTextAsync_NameEndingInAnInitialBeforeTheNextLabel_IsTheNameAlone()
    {
        // "D'SOUZA, NICHOLAS T  MRN:": the recognizer boxes the "T" a few pixels past its bar, so by the boxes the gap
        // before "MRN:" is a word space and the label would be read as part of the name.
        await using var session = await OpenAsync(Path.GetTempPath(), "demographics-wide.png");
        var mrn = await session.ReadTextAsync(Target(LocatorKind.RightOf, "MRN:", "banner.mrn"), PixelFixture.Wait, None);
        AssertOk(mrn);
        var patient = Assert.Single(ChartGenerator.Generate(3, 1), c => c.Patient.Mrn == mrn.Value).Patient;

        var name = await session.ReadTextAsync(Target(LocatorKind.RightOf, "Patient:", "banner.name"), PixelFixture.Wait, None);

        AssertOk(name);
        Assert.Equal($"{patient.LastName}, {patient.FirstName} {patient.MiddleName![..1]}".ToUpperInvariant(), name.Value);
    }

    [Fact]
    public async Task ReadCheckedTableAsync_CapitalIAtTheStartOfACell_IsReadAsShownOrHeldNeverLowerCase()
    {
        // "Ibuprofen" on the selection bar: every look reads "ibuprofen", the word as the model's word list has it.
        await using var session = await OpenAsync(Path.GetTempPath(), "medications-selected.png");
        var mrn = await session.ReadTextAsync(Target(LocatorKind.RightOf, "MRN:", "banner.mrn"), PixelFixture.Wait, None);
        AssertOk(mrn);
        var chart = Assert.Single(ChartGenerator.Generate(3, 1), c => c.Patient.Mrn == mrn.Value);

        var read = await session.ReadCheckedTableAsync(Target(LocatorKind.NearHeading, "Medication List", "medications"), PixelFixture.Wait, None);

        AssertOk(read);
        var (table, doubtful) = read.Value!;
        var (code, name) = (table.Headers.ToList().IndexOf("Code"), table.Headers.ToList().IndexOf("Medication"));
        Assert.True(code >= 0 && name >= 0, string.Join(", ", table.Headers));
        var ibuprofen = Assert.Single(chart.Medications, m => m.Name.StartsWith("Ibuprofen", StringComparison.Ordinal));
        var row = table.Rows.ToList().FindIndex(r => r[code] == ibuprofen.Code);
        Assert.True(row >= 0, "the ibuprofen order's row was not read");
        Assert.True(table.Rows[row][name] == ibuprofen.Name || doubtful.Any(d => d.Row == row && d.Column == name),
            "ibuprofen was read in another case and not held");
        Assert.DoesNotContain(table.Rows.Select((row, r) => (row, r)), x => x.row[name].StartsWith('i') && !doubtful.Any(d => d.Row == x.r && d.Column == name));
    }

    [Fact]
    public async Task ClickAsync_ToolbarButtonOnAChartWhoseNameOcrCannotRead_IsFound()
    {
        // "MÜLLER, JÜRGEN T" (generated:6:7): the eng model reads the banner as "Patient! MULLER, T".
        await using var session = await OpenAsync(Path.GetTempPath(), "chart-non-ascii.png");

        var visible = await session.IsVisibleAsync(UiTarget.Of(new UiLocator(LocatorKind.Text, "Patient Search", Exact: true, Index: 0), "toolbar"), None);

        Assert.True(visible);
    }

    [Fact]
    public async Task ReadCheckedTableAsync_SmallLetterAmongCapitals_IsReadAsShownOrHeldNeverInCapitals()
    {
        // "SARS-COV-2 (COVID-19) vaccine, mRNA, …" (generated:6:7): every look reads "MRNA".
        await using var session = await OpenAsync(Path.GetTempPath(), "immunizations-mrna.png");

        var read = await session.ReadCheckedTableAsync(Target(LocatorKind.NearHeading, "Immunization Record", "immunizations"), PixelFixture.Wait, None);

        AssertOk(read);
        var (table, doubtful) = read.Value!;
        var vaccine = table.Headers.ToList().IndexOf("Vaccine");
        Assert.True(vaccine >= 0, string.Join(", ", table.Headers));
        var covid = Enumerable.Range(0, table.Rows.Count).Where(r => table.Rows[r][0] == "208").ToList();
        Assert.NotEmpty(covid);
        Assert.All(covid, r => Assert.True(table.Rows[r][vaccine].Contains("mRNA", StringComparison.Ordinal) || doubtful.Any(d => d.Row == r && d.Column == vaccine),
            $"row {r + 1}: the vaccine's name was read in another case and not held"));
    }

    [Fact]
    public async Task ReadTableAsync_ListWhoseFirstRowIsSelected_ReadsThatRowToo()
    {
        // The selected row is light text on a blue bar, which the page reading skips; without it the rows below start
        // too far under the header to belong to the table, and the list would read as empty.
        await using var session = await OpenAsync(Path.GetTempPath(), "immunizations-selected.png");
        var mrn = await session.ReadTextAsync(Target(LocatorKind.RightOf, "MRN:", "banner.mrn"), PixelFixture.Wait, None);
        AssertOk(mrn);
        var chart = Assert.Single(ChartGenerator.Generate(3, 1), c => c.Patient.Mrn == mrn.Value);

        var table = await session.ReadTableAsync(Target(LocatorKind.NearHeading, "Immunization Record", "immunizations"), PixelFixture.Wait, None);

        AssertOk(table);
        Assert.Equal(["CVX", "Vaccine", "Date Given"], table.Value!.Headers);
        Assert.Equal(
            chart.Immunizations.Select(i => (IReadOnlyList<string>)[i.CvxCode, i.Vaccine, Shown.Date(i.Date)]),
            table.Value.Rows);
    }
}
