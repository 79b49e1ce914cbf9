namespace RpaWorker.Drivers.Web.Tests;

public sealed class WebUiDriverTests
{
    [Fact]
    public async Task LaunchAsync_ConfiguredBrowserMissing_SaysWhatToInstall()
    {
        var options = new WebDriverOptions { ExecutablePath = "/nonexistent/chromium" };

        var e = await Assert.ThrowsAsync<BrowserNotFoundException>(() => WebUiDriver.LaunchAsync(options, CancellationToken.None));

        Assert.IsAssignableFrom<RpaWorkerException>(e);
        Assert.Contains("apt-get install chromium", e.Message);
        Assert.Contains("/nonexistent/chromium", e.Message);
    }
}
