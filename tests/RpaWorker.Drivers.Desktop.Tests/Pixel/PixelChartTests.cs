using System.Diagnostics;
using RpaWorker.Drivers.Desktop.Tests.Pixel.Support;
using RpaWorker.MockEhr.Data;
using RpaWorker.Ui;
using static RpaWorker.Drivers.Desktop.Tests.Pixel.Support.PixelFlows;

namespace RpaWorker.Drivers.Desktop.Tests.Pixel;

/// <summary>A chart of the mock EHR read through the pixel driver and compared with what the store holds.</summary>
[Collection(PixelCollection.Name)]
public sealed class PixelChartTests(PixelFixture fixture)
{
    private static readonly CancellationToken None = CancellationToken.None;

    // A tab is clicked unless its page is already shown (clicking the current tab changes nothing, which is Blocked).
    private async Task<IUiSession> TabAsync(string tab, string shownOnItsPage)
    {
        var session = await fixture.ChartSessionAsync();
        if (!await session.ShowsTextAsync(shownOnItsPage, None))
        {
            AssertOk(await session.ClickAsync(Target(LocatorKind.Text, tab, "tab"), PixelFixture.Wait, None));
            // The click is checked by the screen changing; on a loaded machine the new page may still be drawing then.
            var drawn = Stopwatch.StartNew();
            while (!await session.ShowsTextAsync(shownOnItsPage, None) && drawn.Elapsed < PixelFixture.Wait)
            {
                await Task.Delay(250);
            }
        }
        return session;
    }

    [Fact]
    public async Task ReadCheckedAsync_BannerRightOfItsLabels_MatchesTheStoreWithoutReview()
    {
        var session = await fixture.ChartSessionAsync();
        var p = fixture.Chart.Patient;
        var expected = new Dictionary<string, string>
        {
            ["Patient:"] = $"{p.LastName}, {p.FirstName}{(string.IsNullOrEmpty(p.MiddleName) ? "" : " " + p.MiddleName[..1])}".ToUpperInvariant(),
            ["MRN:"] = p.Mrn,
            ["DOB:"] = Shown.Date(p.BirthDate),
            ["Sex:"] = Shown.Sex(p.Sex),
        };

        foreach (var (label, value) in expected)
        {
            var read = await session.ReadCheckedAsync(Target(LocatorKind.RightOf, label, "banner"), new UiValueCheck { Field = label }, PixelFixture.Wait, None);
            AssertOk(read);
            Assert.Equal(value, read.Value!.Text);
            Assert.Null(read.Value.Review);
            Assert.InRange(read.Value.Confidence, fixture.Driver.Options.MinConfidence, 1);
        }
    }

    [Fact]
    public async Task ReadTextAsync_DemographicsWithoutRuledCells_MatchesTheStore()
    {
        var session = await TabAsync("Demographics", "Patient Demographics");
        var p = fixture.Chart.Patient;

        var address = await session.ReadTextAsync(Target(LocatorKind.RightOf, "Address:", "demographics.address"), PixelFixture.Wait, None);
        var phone = await session.ReadTextAsync(Target(LocatorKind.RightOf, "Phone", "demographics.phone"), PixelFixture.Wait, None);
        var city = await session.ReadTextAsync(Target(LocatorKind.Below, "Address:", "demographics.city_line"), PixelFixture.Wait, None);

        AssertOk(address);
        Assert.Equal(p.AddressLine, address.Value);
        AssertOk(phone);
        Assert.Equal(p.Phone, phone.Value);
        // Under the address label, in its column, is the next label down.
        AssertOk(city);
        Assert.Equal("City/State/Zip:", city.Value);
    }

    [Fact]
    public async Task ReadTableAsync_ProblemList_MatchesTheStore()
    {
        var session = await TabAsync("Problem List", "Description");

        var table = await session.ReadTableAsync(Target(LocatorKind.NearHeading, "PROBLEM LIST", "problems"), PixelFixture.Wait, None);

        AssertOk(table);
        Assert.Equal(["Code", "Description", "Onset", "Status", "Resolved"], table.Value!.Headers);
        var expected = fixture.Chart.Problems
            .Select(x => (IReadOnlyList<string>)[x.Code, x.Description, Shown.Date(x.OnsetDate), x.Status, Shown.Date(x.ResolvedDate)])
            .ToList();
        Assert.Equal(expected.Count, table.Value.Rows.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i], table.Value.Rows[i]);
        }
    }

    [Fact]
    public async Task ReadCheckedTableAsync_VitalsFlowsheet_MatchesTheStoreWhereTrustedAndFlagsTheRest()
    {
        var vitals = fixture.Chart.Results.Where(r => r.Section == ResultSection.Vitals).ToList();
        var times = vitals.Select(r => r.EffectiveAt).Distinct().Order(StringComparer.Ordinal).Take(8).ToList();
        var measures = vitals.Select(r => (r.Code, r.Name, r.Unit)).Distinct().ToList();
        // Its last row's code on the screen: the whole flowsheet is drawn, not just its heading.
        var session = await TabAsync("Vitals", measures[^1].Code);

        var read = await session.ReadCheckedTableAsync(Target(LocatorKind.NearHeading, "Vital Signs Flowsheet", "vitals"), PixelFixture.Wait, None);

        AssertOk(read);
        var (table, doubtful) = read.Value!;
        Assert.Equal(["Measure", "LOINC", "Units", .. times.Select(Shown.FlowsheetHead)], table.Headers);
        Assert.Equal(measures.Count, table.Rows.Count);
        for (var i = 0; i < measures.Count; i++)
        {
            var m = measures[i];
            IReadOnlyList<string> expected = [m.Name, m.Code, m.Unit ?? "", .. times.Select(t =>
                vitals.FirstOrDefault(r => r.EffectiveAt == t && r.Code == m.Code && r.Name == m.Name && r.Unit == m.Unit)?.Value ?? "")];
            for (var c = 0; c < expected.Count; c++)
            {
                // A cell the driver doubts may hold a misreading: that is the point of flagging it. Every other cell must be right.
                if (!doubtful.Any(d => d.Row == i && d.Column == c))
                {
                    Assert.True(expected[c] == table.Rows[i][c], $"row {i + 1} column {c + 1}: expected '{expected[c]}', read '{table.Rows[i][c]}' without doubt");
                }
            }
        }
        // A unit starting at its column's edge ("/min") is read whole on every look: at worst its confidence is doubted.
        Assert.DoesNotContain(doubtful, d => d.Row >= 0 && d.Column == 2 && !d.ReadingsAgree);
        var cells = measures.Count * (3 + times.Count);
        Assert.True(doubtful.Count * 10 <= cells, $"{doubtful.Count} of {cells} cells doubted: the flowsheet is barely readable");
        Assert.All(doubtful, d => Assert.True(File.Exists(d.Evidence), $"no picture kept for {d.Review}"));
        // Review notes name the table, row and column, never what the screen shows (a flowsheet's headers are dates of service).
        var shown = table.Headers.Concat(table.Rows.SelectMany(r => r)).Where(t => t.Length >= 4).ToList();
        Assert.All(doubtful, d => Assert.DoesNotContain(shown, t => d.Review.Contains(t, StringComparison.Ordinal)));
    }
}
