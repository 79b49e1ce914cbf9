using RpaWorker.MockEhr.Data;
using RpaWorker.Ui;

namespace RpaWorker.Drivers.Desktop.Tests.AtSpi;

/// <summary>What a playbook would do on the desktop mock, step by step, through the AT-SPI session.</summary>
internal sealed class Screens(IUiSession session)
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    public static UiTarget Role(string role, string name) => UiTarget.Of(new UiLocator(LocatorKind.Role, role, name, Exact: true));

    public static UiTarget Label(string text) => UiTarget.Of(new UiLocator(LocatorKind.Label, text));

    public static UiTarget Text(string text) => UiTarget.Of(new UiLocator(LocatorKind.Text, text, Exact: true));

    public static UiTarget RightOf(string label) => UiTarget.Of(new UiLocator(LocatorKind.RightOf, label, Exact: true));

    public static UiTarget NearHeading(string heading) => UiTarget.Of(new UiLocator(LocatorKind.NearHeading, heading, Exact: true));

    /// <summary>Back to the login screen from wherever the previous test left the window.</summary>
    public async Task ToLoginAsync(string logout)
    {
        if (session.OpenDialog is not null || await session.IsVisibleAsync(Role("dialog", "Unsigned Notes"), CancellationToken.None))
        {
            Ok(await session.AcceptDialogAsync(CancellationToken.None));
        }
        if (await session.IsVisibleAsync(Role("button", logout), CancellationToken.None))
        {
            Ok(await session.ClickAsync(Role("button", logout), Wait, CancellationToken.None));
        }
        Ok(await session.ReadTextAsync(Text("Username:"), Wait, CancellationToken.None));
    }

    public async Task SignInAsync(string button = "Login", string password = "Passw0rd!")
    {
        Ok(await session.FillAsync(Label("Username"), "clinician", Wait, CancellationToken.None));
        Ok(await session.FillAsync(Label("Password"), password, Wait, CancellationToken.None));
        Ok(await session.ClickAsync(Role("button", button), Wait, CancellationToken.None));
    }

    public async Task<UiTable> PatientListAsync() =>
        Ok(await session.ReadTableAsync(NearHeading("Patient Search"), Wait, CancellationToken.None));

    /// <summary>Opens a chart by activating the patient's MRN cell in the list (a double-click for a person).</summary>
    public async Task OpenChartAsync(LegacyPatient patient)
    {
        Ok(await session.ClickAsync(Text(patient.Mrn), Wait, CancellationToken.None));
        Ok(await session.ReadTextAsync(Text("Patient Demographics"), Wait, CancellationToken.None));
    }

    public async Task<UiTable> TabTableAsync(string tab, string heading)
    {
        Ok(await session.ClickAsync(Role("tab", tab), Wait, CancellationToken.None));
        return Ok(await session.ReadTableAsync(NearHeading(heading), Wait, CancellationToken.None));
    }

    public static T Ok<T>(UiResult<T> result)
    {
        Assert.True(result.Ok, $"{result.Failure}: {result.Reason}");
        return result.Value!;
    }
}
