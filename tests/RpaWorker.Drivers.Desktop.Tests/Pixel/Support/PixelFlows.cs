using RpaWorker.MockEhr.Data;
using RpaWorker.Ui;

namespace RpaWorker.Drivers.Desktop.Tests.Pixel.Support;

/// <summary>What a person does on the mock EHR, done through the pixel driver: log in, find a patient by MRN, open the chart.</summary>
public static class PixelFlows
{
    private static readonly CancellationToken None = CancellationToken.None;

    public static UiTarget Target(LocatorKind kind, string value, string description, bool exact = false) =>
        new([new UiLocator(kind, value, Exact: exact)], description);

    public static void AssertOk<T>(UiResult<T> result) => Assert.True(result.Ok, $"{result.Failure}: {result.Reason}");

    public static async Task LoginAsync(IUiSession session, string windowAddress)
    {
        AssertOk(await session.NavigateAsync(windowAddress, PixelFixture.Wait, None));
        AssertOk(await session.FillAsync(Target(LocatorKind.Label, "Username:", "login.user"), "clinician", PixelFixture.Wait, None));
        AssertOk(await session.FillAsync(Target(LocatorKind.Label, "Password:", "login.password"), "Passw0rd!", PixelFixture.Wait, None));
        AssertOk(await session.ClickAsync(new UiTarget([new UiLocator(LocatorKind.Role, "button", Name: "Login")], "login.submit"), PixelFixture.Wait, None));
    }

    public static async Task OpenChartAsync(IUiSession session, LegacyPatient patient)
    {
        AssertOk(await session.FillAsync(Target(LocatorKind.Label, "MRN", "search.mrn"), patient.Mrn, PixelFixture.Wait, None));
        AssertOk(await session.ClickAsync(Target(LocatorKind.Text, "Search", "search.submit", exact: true), PixelFixture.Wait, None));
        // The result list shows the name as a link, "LAST, FIRST M".
        AssertOk(await session.ClickAsync(Target(LocatorKind.Text, patient.LastName.ToUpperInvariant() + ",", "search.result"), PixelFixture.Wait, None));
    }
}
