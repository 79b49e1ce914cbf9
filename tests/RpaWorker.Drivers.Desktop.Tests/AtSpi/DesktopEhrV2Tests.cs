using RpaWorker.Ui;
using static RpaWorker.Drivers.Desktop.Tests.AtSpi.Screens;

namespace RpaWorker.Drivers.Desktop.Tests.AtSpi;

/// <summary>The v2 "vendor upgrade" layout: what a v1 playbook looks for is gone, and says so.</summary>
public sealed class DesktopEhrV2Tests(DesktopEhrV2Fixture fixture) : IClassFixture<DesktopEhrV2Fixture>
{
    private readonly Screens _screens = new(fixture.Session);
    private IUiSession Session => fixture.Session;

    [Fact]
    public async Task SignIn_V1ButtonName_TargetNotFound()
    {
        await _screens.ToLoginAsync("Log Off");
        Ok(await Session.FillAsync(Label("Username"), "clinician", Wait, CancellationToken.None));
        Ok(await Session.FillAsync(Label("Password"), "Passw0rd!", Wait, CancellationToken.None));

        var v1 = await Session.ClickAsync(Role("button", "Login"), TimeSpan.FromMilliseconds(300), CancellationToken.None);

        Assert.Equal(UiFailure.NotFound, v1.Failure);
        Assert.Contains("not found", v1.Reason, StringComparison.Ordinal);
        Assert.Contains("\"Login\"", v1.Reason, StringComparison.Ordinal);
        Ok(await Session.ClickAsync(Role("button", "Sign In"), Wait, CancellationToken.None));
        var list = await _screens.PatientListAsync();
        Assert.Equal(["Med Rec #", "Pt Name", "D.O.B.", "Gender"], list.Headers);
    }

    [Fact]
    public async Task Chart_V1Labels_TargetNotFound_V2LabelsReadTheSameValues()
    {
        var chart = fixture.Store.GetChart(fixture.Store.ListPatients().First(p => p.UnsignedNotes == 0 && fixture.Store.GetChart(p.Id)!.Allergies.Count > 0).Id)!;
        await _screens.ToLoginAsync("Log Off");
        await _screens.SignInAsync("Sign In");
        await _screens.OpenChartAsync(chart.Patient);

        var v1 = await Session.ReadTextAsync(RightOf("MRN:"), TimeSpan.FromMilliseconds(300), CancellationToken.None);
        Assert.Equal(UiFailure.NotFound, v1.Failure);
        Assert.Contains("not found", v1.Reason, StringComparison.Ordinal);
        Assert.Equal(chart.Patient.Mrn, Ok(await Session.ReadTextAsync(RightOf("Med Rec #:"), Wait, CancellationToken.None)));
        Assert.Equal(Expected.Name(chart.Patient), Ok(await Session.ReadTextAsync(RightOf("Pt Name:"), Wait, CancellationToken.None)));

        var v1Tab = await Session.ClickAsync(Role("tab", "Allergies"), TimeSpan.FromMilliseconds(300), CancellationToken.None);
        Assert.Equal(UiFailure.NotFound, v1Tab.Failure);
        var problems = await _screens.TabTableAsync("Problems/Allergies", "PROBLEM LIST");
        Assert.Equal(["Status", "Problem", "SNOMED", "Onset Dt", "Resolved Dt"], problems.Headers);
        var allergies = Ok(await Session.ReadTableAsync(NearHeading("allergies / adverse reactions"), Wait, CancellationToken.None));
        Assert.Equal(Expected.Rows(chart.Allergies, x => x.Code, x => x.Substance), Expected.Columns(allergies, "Code", "Substance"));
    }
}
