using System.Diagnostics;

namespace RpaWorker.MockEhr.Tests.Web;

[Collection(BrowserCollection.Name)]
public sealed class FaultTests(BrowserFixture browser)
{
    [Fact]
    public async Task ErrorRate_One_AnswersPagesWithRuntimeErrorAnd500()
    {
        await using var ehr = await MockEhrDriver.StartAsync(browser, new MockEhrOptions { ErrorRate = 1.0 });

        var response = await ehr.GotoAsync("login");

        Assert.NotNull(response);
        Assert.Equal(500, response.Status);
        Assert.Contains("Runtime Error", await ehr.Page.InnerTextAsync("body"));
    }

    [Fact]
    public async Task Latency_Set_PageTakesAtLeastThatLong()
    {
        var latency = TimeSpan.FromMilliseconds(400);
        await using var ehr = await MockEhrDriver.StartAsync(browser, new MockEhrOptions { Latency = latency });

        var watch = Stopwatch.StartNew();
        await ehr.GotoAsync("login");
        watch.Stop();

        Assert.True(watch.Elapsed >= latency, $"page took {watch.Elapsed}");
        Assert.Equal(1, await ehr.Page.Locator("input[type=password]").CountAsync());
    }

    [Fact]
    public async Task PopupRate_One_ShowsReminderWhenAChartOpens()
    {
        await using var ehr = await MockEhrDriver.StartAsync(browser, new MockEhrOptions { PopupRate = 1.0, FaultSeed = 7 });
        await ehr.LoginAsync();

        await ehr.OpenChartAsync(TestCharts.DoeMrn);

        Assert.Contains("Reminder: flu season", await ehr.Page.InnerTextAsync("body"));
        await ehr.Page.ClickAsync("input[value=OK]");
        Assert.Equal(0, await ehr.Page.Locator("input[value=OK]:visible").CountAsync());
    }
}
