using System.Globalization;
using RpaWorker.Drivers.Web.Tests.Support;
using RpaWorker.MockEhr;
using RpaWorker.MockEhr.Data;
using RpaWorker.MockEhr.Generate;
using RpaWorker.Ui;

namespace RpaWorker.Drivers.Web.Tests;

/// <summary>The driver against the bundled legacy EHR, the way a playbook drives it: labels, cells, headings, an iframe.</summary>
public sealed class MockEhrEndToEndTests(DriverFixture fixture) : IClassFixture<DriverFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private static readonly CancellationToken None = CancellationToken.None;

    private static UiTarget Target(UiLocator locator, string description) => new([locator], description);

    private static void AssertOk<T>(UiResult<T> result) => Assert.True(result.Ok, $"{result.Failure}: {result.Reason}");

    [Fact]
    public async Task Session_LoginSearchAndChart_ReadsBannerProblemsAndFramedAllergies()
    {
        using var store = LegacyStore.InMemory();
        foreach (var generated in ChartGenerator.Generate(3, 1))
        {
            store.AddChart(generated);
        }
        var chart = store.ListPatients().Select(p => store.GetChart(p.Id)!)
            .First(c => c.Allergies.Count > 0 && c.Problems.Count > 0 && c.Patient.BirthDate is { Length: 10 });
        await using var ehr = await MockEhrServer.StartAsync(store, new MockEhrOptions());
        await using var session = await fixture.Driver.OpenSessionAsync(new UiSessionOptions(), None);

        AssertOk(await session.NavigateAsync(new Uri(ehr.BaseAddress, "login").ToString(), Wait, None));
        AssertOk(await session.FillAsync(Target(new UiLocator(LocatorKind.Label, "Username:"), "login.user"), "clinician", Wait, None));
        AssertOk(await session.FillAsync(Target(new UiLocator(LocatorKind.Label, "Password:"), "login.password"), "Passw0rd!", Wait, None));
        AssertOk(await session.ClickAsync(Target(new UiLocator(LocatorKind.Role, "button", Name: "Login"), "login.submit"), Wait, None));

        AssertOk(await session.FillAsync(Target(new UiLocator(LocatorKind.Label, "MRN"), "search.mrn"), chart.Patient.Mrn, Wait, None));
        AssertOk(await session.ClickAsync(Target(new UiLocator(LocatorKind.Role, "button", Name: "Search", Exact: true), "search.submit"), Wait, None));
        AssertOk(await session.ClickAsync(Target(new UiLocator(LocatorKind.Css, "a[href^='/chart/']"), "search.first_result"), Wait, None));

        var dob = await session.ReadTextAsync(Target(new UiLocator(LocatorKind.RightOf, "DOB:"), "banner.dob"), Wait, None);
        AssertOk(dob);
        var birthDate = DateOnly.ParseExact(chart.Patient.BirthDate!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        Assert.Equal(birthDate.ToString("MM/dd/yyyy", CultureInfo.InvariantCulture), dob.Value);

        AssertOk(await session.ClickAsync(Target(new UiLocator(LocatorKind.Text, "Problem List"), "tab.problems"), Wait, None));
        var problems = await session.ReadTableAsync(Target(new UiLocator(LocatorKind.NearHeading, "PROBLEM LIST"), "problems"), Wait, None);
        AssertOk(problems);
        Assert.Equal(["Code", "Description", "Onset", "Status", "Resolved"], problems.Value!.Headers);
        Assert.Equal(Math.Min(chart.Problems.Count, new MockEhrOptions().PageSize), problems.Value.Rows.Count);
        Assert.All(problems.Value.Rows, row => Assert.Contains(chart.Problems, p => p.Code == row[0] && p.Description == row[1]));

        AssertOk(await session.ClickAsync(Target(new UiLocator(LocatorKind.Text, "Allergies"), "tab.allergies"), Wait, None));
        var allergies = await session.ReadTableAsync(
            Target(new UiLocator(LocatorKind.Css, "table", Frame: "iframe[name=allergyframe]"), "allergies"), Wait, None);
        AssertOk(allergies);
        Assert.Equal(chart.Allergies.Select(a => a.Substance).Order(), allergies.Value!.Rows.Select(r => r[2]).Order());
        // No frame given: the top document has no "Substance" column, so the lookup continues into the iframe.
        var substance = await session.ReadTextAsync(Target(new UiLocator(LocatorKind.Below, "Substance"), "allergies.first"), Wait, None);
        Assert.Equal(allergies.Value.Rows[0][2], substance.Value);
    }
}
