using Microsoft.Extensions.Diagnostics.HealthChecks;
using Quartz;
using RpaWorker.Drivers.Web;
using RpaWorker.Host.Runs;

namespace RpaWorker.Host;

/// <summary>Ready when the run store answers.</summary>
internal sealed class StoreHealthCheck(RunStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            return await store.PingAsync(cancellationToken) ? HealthCheckResult.Healthy("run store answers") : HealthCheckResult.Unhealthy("run store gave a wrong answer");
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("run store does not answer: " + ex.GetType().Name);
        }
    }
}

/// <summary>Ready when the scheduler is started and not shutting down.</summary>
internal sealed class SchedulerHealthCheck(ISchedulerFactory schedulers) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        return scheduler.Status == SchedulerStatus.Running
            ? HealthCheckResult.Healthy("scheduler running")
            : HealthCheckResult.Unhealthy("scheduler is " + scheduler.Status.ToString().ToLowerInvariant());
    }
}

/// <summary>Ready when a browser is running, or one can be started (an executable is there).</summary>
internal sealed class BrowserHealthCheck(BrowserHolder browser) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(browser.Launched || ChromiumLocator.SystemChromium() is not null
            ? HealthCheckResult.Healthy(browser.Launched ? "browser running" : "browser available")
            : HealthCheckResult.Unhealthy("no Chromium: install Debian's chromium or Playwright's browser"));
}
