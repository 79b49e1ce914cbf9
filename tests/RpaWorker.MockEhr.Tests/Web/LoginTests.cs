using Microsoft.Extensions.Time.Testing;
using OtpNet;

namespace RpaWorker.MockEhr.Tests.Web;

[Collection(BrowserCollection.Name)]
public sealed class LoginTests(BrowserFixture browser)
{
    [Fact]
    public async Task Login_WrongPassword_ShowsErrorOnForm()
    {
        await using var ehr = await MockEhrDriver.StartAsync(browser);
        await ehr.GotoAsync("login");
        Assert.Contains("MedWeb Classic 4.2", await ehr.Page.InnerTextAsync("body"));

        await ehr.SubmitLoginAsync(password: "wrong");

        Assert.Contains("Invalid username or password", await ehr.Page.InnerTextAsync("body"));
        Assert.Equal(1, await ehr.Page.Locator("input[type=password]").CountAsync());
    }

    [Fact]
    public async Task Login_RightCredentials_ReachesPatientList()
    {
        await using var ehr = await MockEhrDriver.StartAsync(browser);

        await ehr.LoginAsync();

        Assert.EndsWith("/patients", ehr.Page.Url, StringComparison.Ordinal);
        var names = (await MockEhrDriver.GridRowsAsync(ehr.Page)).Select(r => r[0]).ToList();
        Assert.Contains("DOE, JOHN A", names);
        Assert.Contains("O'BRIEN, PATRICK S", names);
    }

    [Fact]
    public async Task Login_WithTotpSecret_AsksForCodeAndAcceptsOnlyTheCurrentOne()
    {
        var secret = Base32Encoding.ToString(Enumerable.Range(1, 20).Select(i => (byte)i).ToArray());
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));
        await using var ehr = await MockEhrDriver.StartAsync(browser, new MockEhrOptions { TotpSecret = secret }, time);
        var totp = new Totp(Base32Encoding.ToBytes(secret));

        await ehr.LoginAsync();
        Assert.Contains("6-digit code", await ehr.Page.InnerTextAsync("body"));
        await ehr.Page.FillAsync("#code", totp.ComputeTotp(time.GetUtcNow().UtcDateTime.AddMinutes(-10)));
        await ehr.Page.ClickAsync("input[type=submit]");
        Assert.Contains("Invalid verification code", await ehr.Page.InnerTextAsync("body"));

        await ehr.Page.FillAsync("#code", totp.ComputeTotp(time.GetUtcNow().UtcDateTime));
        await ehr.Page.ClickAsync("input[type=submit]");

        Assert.EndsWith("/patients", ehr.Page.Url, StringComparison.Ordinal);
        Assert.Contains("Patient Search", await ehr.Page.InnerTextAsync("body"));
    }

    [Fact]
    public async Task Session_IdleLongerThanTimeout_ShowsExpiredPageThenReturnsAfterLogin()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));
        var options = new MockEhrOptions { IdleTimeout = TimeSpan.FromMinutes(10) };
        await using var ehr = await MockEhrDriver.StartAsync(browser, options, time);
        await ehr.LoginAsync();
        await ehr.OpenChartAsync(TestCharts.DoeMrn);
        await ehr.Page.ClickAsync("a:text-is('Problem List')");
        var chartUrl = ehr.Page.Url;

        time.Advance(TimeSpan.FromMinutes(9));
        await ehr.Page.ReloadAsync();
        Assert.Contains("PROBLEM LIST", await ehr.Page.InnerTextAsync("body"));
        time.Advance(TimeSpan.FromMinutes(11));
        await ehr.Page.ReloadAsync();

        Assert.Contains("Your session has expired. Please log in again.", await ehr.Page.InnerTextAsync("body"));
        await ehr.Page.ClickAsync("text=Click here to log in");
        await ehr.SubmitLoginAsync();
        Assert.Equal(chartUrl, ehr.Page.Url);
        Assert.Contains("PROBLEM LIST", await ehr.Page.InnerTextAsync("body"));
    }

    [Fact]
    public async Task Logout_ThenOpenPatientList_AsksToLogInAgain()
    {
        await using var ehr = await MockEhrDriver.StartAsync(browser);
        await ehr.LoginAsync();

        await ehr.Page.ClickAsync("text=Logout");
        await ehr.GotoAsync("patients");

        Assert.Contains("/login", ehr.Page.Url, StringComparison.Ordinal);
        Assert.Equal(1, await ehr.Page.Locator("input[type=password]").CountAsync());
    }
}
