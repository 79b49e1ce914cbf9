using RpaWorker.MockEhr.Data;
using RpaWorker.Ui;

namespace RpaWorker.Drivers.Desktop.Tests.Pixel.Support;

/// <summary>
/// What a person does on the mock EHR, done through the pixel driver: log in, find a patient by MRN, open the chart.
/// Shared with the benchmark, so it stops on a failure with an exception rather than a test assertion.
/// </summary>
public static class PixelFlows
{
    private static readonly CancellationToken None = CancellationToken.None;

    /// <summary>How long a step waits for its target: OCR of a window takes a good part of a second on a busy machine.</summary>
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    public static UiTarget Target(LocatorKind kind, string value, string description, bool exact = false) =>
        new([new UiLocator(kind, value, Exact: exact)], description);

    public static void AssertOk<T>(UiResult<T> result)
    {
        if (!result.Ok)
        {
            throw new InvalidOperationException($"{result.Failure}: {result.Reason}");
        }
    }

    /// <summary>
    /// The patient whose chart the tests and the benchmark read: full birth date, an address and phone, a few problems,
    /// vitals, no popup on opening, and a plain ASCII name.
    /// </summary>
    public static LegacyChart PickChart(LegacyStore store) =>
        store.ListPatients().Select(p => store.GetChart(p.Id)!).First(c =>
            c.Patient.BirthDate is { Length: 10 } && c.Patient.UnsignedNotes == 0 && c.Patient.DeceasedDate is null &&
            c.Patient.AddressLine is not null && c.Patient.Phone is not null &&
            c.Problems.Count is >= 3 and <= 15 && c.Results.Any(r => r.Section == ResultSection.Vitals) &&
            $"{c.Patient.LastName}{c.Patient.FirstName}".All(char.IsAsciiLetter));

    public static async Task LoginAsync(IUiSession session, string windowAddress)
    {
        AssertOk(await session.NavigateAsync(windowAddress, Wait, None));
        AssertOk(await session.FillAsync(Target(LocatorKind.Label, "Username:", "login.user"), "clinician", Wait, None));
        AssertOk(await session.FillAsync(Target(LocatorKind.Label, "Password:", "login.password"), "Passw0rd!", Wait, None));
        AssertOk(await session.ClickAsync(new UiTarget([new UiLocator(LocatorKind.Role, "button", Name: "Login")], "login.submit"), Wait, None));
    }

    public static async Task OpenChartAsync(IUiSession session, LegacyPatient patient)
    {
        await SearchAsync(session, patient);
        await OpenFoundChartAsync(session, patient);
    }

    public static async Task SearchAsync(IUiSession session, LegacyPatient patient)
    {
        AssertOk(await session.FillAsync(Target(LocatorKind.Label, "MRN", "search.mrn"), patient.Mrn, Wait, None));
        AssertOk(await session.ClickAsync(Target(LocatorKind.Text, "Search", "search.submit", exact: true), Wait, None));
    }

    // The result list shows the name as a link, "LAST, FIRST M".
    public static async Task OpenFoundChartAsync(IUiSession session, LegacyPatient patient) =>
        AssertOk(await session.ClickAsync(Target(LocatorKind.Text, patient.LastName.ToUpperInvariant() + ",", "search.result"), Wait, None));
}
