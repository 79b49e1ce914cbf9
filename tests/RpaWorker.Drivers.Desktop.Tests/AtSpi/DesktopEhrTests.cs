using RpaWorker.MockEhr.Data;
using RpaWorker.Ui;
using static RpaWorker.Drivers.Desktop.Tests.AtSpi.Screens;

namespace RpaWorker.Drivers.Desktop.Tests.AtSpi;

/// <summary>The v1 desktop mock driven through AT-SPI the way a playbook would, checked against the store.</summary>
public sealed class DesktopEhrTests(DesktopEhrV1Fixture fixture) : IClassFixture<DesktopEhrV1Fixture>
{
    private readonly Screens _screens = new(fixture.Session);
    private IUiSession Session => fixture.Session;

    [Fact]
    public async Task SignIn_WrongPassword_StaysOnLoginAndSaysSo()
    {
        await _screens.ToLoginAsync("Logout");

        await _screens.SignInAsync(password: "wrong");

        Assert.True(await Session.ShowsTextAsync("Invalid username or password", CancellationToken.None));
        Assert.Contains("Login", Session.Location, StringComparison.Ordinal);
        Assert.False(await Session.IsVisibleAsync(NearHeading("Patient Search"), CancellationToken.None));
    }

    [Fact]
    public async Task SignIn_Clinician_ListsEveryPatientAsStored()
    {
        await _screens.ToLoginAsync("Logout");

        await _screens.SignInAsync();
        var list = await _screens.PatientListAsync();

        Assert.Equal(["Name", "MRN", "DOB", "Sex"], list.Headers);
        Assert.Equal(Expected.Rows(fixture.Store.ListPatients(), Expected.Name, p => p.Mrn, p => Expected.Date(p.BirthDate), p => p.Sex),
            Expected.Columns(list, "Name", "MRN", "DOB", "Sex"));
        Assert.Contains("Patient Search", Session.Location, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_ByMrn_ListsOnlyThatPatient()
    {
        var patient = fixture.Store.ListPatients()[4];
        await _screens.ToLoginAsync("Logout");
        await _screens.SignInAsync();

        Ok(await Session.FillAsync(Label("MRN"), patient.Mrn, Wait, CancellationToken.None));
        Ok(await Session.PressAsync("Enter", Label("MRN"), Wait, CancellationToken.None));
        var list = await WaitForRowsAsync(1);

        Assert.Equal([$"{Expected.Name(patient)} | {patient.Mrn}"], Expected.Columns(list, "Name", "MRN"));
    }

    [Fact]
    public async Task Search_DobFieldWithOnlyALabelBeside_IsFoundByThatLabel()
    {
        var patient = fixture.Store.ListPatients().First(p => p.BirthDate is { Length: 10 });
        await _screens.ToLoginAsync("Logout");
        await _screens.SignInAsync();

        // The DOB field has no accessible name and no label relation: the label drawn to its left names it.
        Ok(await Session.FillAsync(Label("DOB (MM/DD/YYYY):"), Expected.Date(patient.BirthDate), Wait, CancellationToken.None));
        Ok(await Session.ClickAsync(Role("button", "Search"), Wait, CancellationToken.None));
        var list = await WaitForRowsAsync(fixture.Store.ListPatients().Count(p => p.BirthDate == patient.BirthDate));

        Assert.All(list.Rows, r => Assert.Equal(Expected.Date(patient.BirthDate), r[2]));
        Assert.Contains(list.Rows, r => r[1] == patient.Mrn);
    }

    [Fact]
    public async Task Chart_UnsignedNotes_ModalDialogBlocksTheChartUntilAccepted()
    {
        var patient = fixture.Store.ListPatients().First(p => p.UnsignedNotes > 0);
        await _screens.ToLoginAsync("Logout");
        await _screens.SignInAsync();

        await _screens.OpenChartAsync(patient);

        Assert.NotNull(Session.OpenDialog);
        Assert.Contains("unsigned note", Session.OpenDialog!.Message, StringComparison.Ordinal);
        Assert.True(await Session.IsVisibleAsync(Role("dialog", "Unsigned Notes"), CancellationToken.None));
        var blocked = await Session.ClickAsync(Role("tab", "Problem List"), TimeSpan.FromMilliseconds(300), CancellationToken.None);
        Assert.Equal(UiFailure.Blocked, blocked.Failure);
        Assert.Contains("modal dialog", blocked.Reason, StringComparison.Ordinal);

        Ok(await Session.AcceptDialogAsync(CancellationToken.None));

        Assert.Null(Session.OpenDialog);
        Assert.False(await Session.IsVisibleAsync(Role("dialog", "Unsigned Notes"), CancellationToken.None));
        Ok(await Session.ClickAsync(Role("tab", "Problem List"), Wait, CancellationToken.None));
    }

    [Fact]
    public async Task Chart_BannerAndEveryTab_ShowTheStoredRecords()
    {
        // A patient with unsigned notes (the dialog on the way in) and the one with the most records.
        var store = fixture.Store;
        var charts = store.ListPatients().Select(p => store.GetChart(p.Id)!).ToList();
        var picked = new[]
        {
            charts.First(c => c.Patient.UnsignedNotes > 0),
            charts.MaxBy(c => c.Problems.Count + c.Medications.Count + c.Results.Count + c.Allergies.Count)!,
        };
        await _screens.ToLoginAsync("Logout");
        await _screens.SignInAsync();

        foreach (var chart in picked)
        {
            await _screens.OpenChartAsync(chart.Patient);
            if (Session.OpenDialog is not null)
            {
                Ok(await Session.ClickAsync(Role("button", "OK"), Wait, CancellationToken.None));
            }
            await AssertChartAsync(chart);
            Ok(await Session.ClickAsync(Role("button", "Patient Search"), Wait, CancellationToken.None));
        }
    }

    [Fact]
    public async Task Location_OnAChartTab_NamesTheTabAndKeepsTheTitleWithThePatientInTheFragment()
    {
        var patient = fixture.Store.ListPatients().First(p => p.UnsignedNotes == 0);
        await _screens.ToLoginAsync("Logout");
        await _screens.SignInAsync();
        await _screens.OpenChartAsync(patient);

        await _screens.TabTableAsync("Vitals", "Vital Signs Flowsheet");

        // Provenance records a screen by what comes before '#': the tab, never the window title that names the patient.
        var location = Session.Location;
        var fragment = location.IndexOf('#', StringComparison.Ordinal);
        Assert.Equal($"atspi://{fixture.AppName}/Vitals", location[..fragment]);
        Assert.EndsWith(" - " + Expected.Name(patient), location, StringComparison.Ordinal);
        // Going to the location attaches to the application where it is, as a reload does.
        Ok(await Session.NavigateAsync(location, Wait, CancellationToken.None));
        Assert.Equal(location, Session.Location);
    }

    [Fact]
    public async Task Locators_NothingMatches_FailWithAReasonThatNamesTheTargetNotTheScreen()
    {
        await _screens.ToLoginAsync("Logout");
        await _screens.SignInAsync();
        var target = new UiTarget([new UiLocator(LocatorKind.Role, "button", "Discharge"), new UiLocator(LocatorKind.Css, "#discharge")], "discharge button");

        var result = await Session.ClickAsync(target, TimeSpan.FromMilliseconds(300), CancellationToken.None);

        Assert.Equal(UiFailure.NotFound, result.Failure);
        Assert.Contains("'discharge button' not found", result.Reason, StringComparison.Ordinal);
        Assert.Contains("role button named \"Discharge\"", result.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.Store.ListPatients(), p => result.Reason!.Contains(p.Mrn, StringComparison.Ordinal) ||
            result.Reason!.Contains(p.LastName, StringComparison.OrdinalIgnoreCase));
    }

    private async Task AssertChartAsync(LegacyChart chart)
    {
        var p = chart.Patient;
        Assert.Equal(Expected.Name(p), Ok(await Session.ReadTextAsync(RightOf("Patient:"), Wait, CancellationToken.None)));
        Assert.Equal(p.Mrn, Ok(await Session.ReadTextAsync(RightOf("MRN:"), Wait, CancellationToken.None)));
        Assert.Equal(Expected.Date(p.BirthDate), Ok(await Session.ReadTextAsync(RightOf("DOB:"), Wait, CancellationToken.None)));
        Assert.Equal(p.Phone ?? "", Ok(await Session.ReadTextAsync(RightOf("Phone:"), Wait, CancellationToken.None)));
        Assert.Equal(p.AddressLine ?? "", Ok(await Session.ReadTextAsync(RightOf("Address:"), Wait, CancellationToken.None)));

        var problems = await _screens.TabTableAsync("Problem List", "PROBLEM LIST");
        Assert.Equal(["Code", "Description", "Onset", "Status", "Resolved"], problems.Headers);
        Assert.Equal(Expected.Rows(chart.Problems, x => x.Code, x => x.Description, x => Expected.Date(x.OnsetDate), x => x.Status),
            Expected.Columns(problems, "Code", "Description", "Onset", "Status"));

        var medications = await _screens.TabTableAsync("MEDICATIONS", "Medication List");
        Assert.Equal(Expected.Rows(chart.Medications, x => x.Code, x => x.Name, x => x.Status, x => Expected.Date(x.StartDate), x => x.Sig, x => x.Prescriber),
            Expected.Columns(medications, "Code", "Medication", "Status", "Start", "Sig", "Ordered By"));

        var allergies = await _screens.TabTableAsync("Allergies", "allergies / adverse reactions");
        Assert.Equal(Expected.Rows(chart.Allergies, x => x.Code, x => x.Substance, x => x.Reaction, x => x.Status, x => Expected.Date(x.RecordedDate)),
            Expected.Columns(allergies, "Code", "Substance", "Reaction", "Status", "Recorded"));

        var vitals = await _screens.TabTableAsync("Vitals", "Vital Signs Flowsheet");
        var storedVitals = chart.Results.Where(r => r.Section == ResultSection.Vitals).ToList();
        Assert.Equal(storedVitals.Select(r => r.EffectiveAt).Distinct().Count(), vitals.Headers.Count - 3);
        Assert.Equal(Expected.Rows(storedVitals.DistinctBy(r => (r.Code, r.Name, r.Unit)), x => x.Name, x => x.Code, x => x.Unit),
            Expected.Columns(vitals, "Measure", "LOINC", "Units"));
        Assert.Equal(storedVitals.Select(r => r.Value).Order(StringComparer.Ordinal),
            vitals.Rows.SelectMany(r => r.Skip(3)).Where(v => v.Length > 0).Order(StringComparer.Ordinal));

        var labs = await _screens.TabTableAsync("Lab Results", "LAB RESULTS");
        Assert.Equal(Expected.Rows(chart.Results.Where(r => r.Section == ResultSection.Labs), x => x.Name, x => x.Code, x => x.Value, x => x.Unit,
                x => x.Flag is "H" or "L" ? x.Flag : ""),
            Expected.Columns(labs, "Test", "LOINC", "Result", "Units", "Flag"));

        var social = await _screens.TabTableAsync("Social Hx", "Social history");
        Assert.Equal(Expected.Rows(chart.Results.Where(r => r.Section == ResultSection.Social), x => x.Code, x => x.Value, x => x.ValueCode),
            Expected.Columns(social, "LOINC", "Status", "Status Code"));

        var immunizations = await _screens.TabTableAsync("Immunizations", "Immunization Record");
        Assert.Equal(Expected.Rows(chart.Immunizations, x => x.CvxCode, x => x.Vaccine, x => Expected.Date(x.Date)),
            Expected.Columns(immunizations, "CVX", "Vaccine", "Date Given"));

        var visits = await _screens.TabTableAsync("Visits", "Visit history");
        Assert.Equal(Expected.Rows(chart.Encounters, x => x.TypeDisplay, x => x.TypeCode, x => x.Class, x => x.Provider, x => x.ReasonCode),
            Expected.Columns(visits, "Visit Type", "Type Code", "Class", "Provider", "Reason Code"));

        var other = await _screens.TabTableAsync("Other Results", "OTHER RESULTS");
        Assert.Equal(Expected.Rows(chart.Results.Where(r => r.Section == ResultSection.Other), x => x.Name, x => x.Code, x => x.Value, x => x.Unit),
            Expected.Columns(other, "Name", "Code", "Value", "Unit"));
    }

    /// <summary>The list after a search: the screen is rebuilt, so poll until it shows the expected number of rows.</summary>
    private async Task<UiTable> WaitForRowsAsync(int count)
    {
        var list = await _screens.PatientListAsync();
        for (var tries = 0; list.Rows.Count != count && tries < 40; tries++)
        {
            await Task.Delay(50);
            list = await _screens.PatientListAsync();
        }
        return list;
    }
}
