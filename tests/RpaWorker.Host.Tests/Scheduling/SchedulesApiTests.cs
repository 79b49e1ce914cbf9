using System.Net;
using System.Net.Http.Json;
using RpaWorker.Host.Runs;
using RpaWorker.Host.Scheduling;
using RpaWorker.Host.Tests.Support;

namespace RpaWorker.Host.Tests.Scheduling;

[Collection(TestWorker.Collection)]
public sealed class SchedulesApiTests
{
    private static async Task<List<RunRecord>> ScheduledRunsAsync(HttpClient client, string schedule) =>
        (await client.GetFromJsonAsync<List<RunRecord>>("/api/runs?limit=500", TestWorker.Json))!.Where(r => r.Trigger == "schedule:" + schedule).ToList();

    private static async Task<List<RunRecord>> WaitForRunsAsync(HttpClient client, string schedule, int count, TimeSpan timeout)
    {
        var deadline = TimeProvider.System.GetUtcNow() + timeout;
        while (true)
        {
            var runs = await ScheduledRunsAsync(client, schedule);
            if (runs.Count >= count)
            {
                return runs;
            }
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, $"schedule {schedule} started {runs.Count} run(s), expected {count}");
            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task CronSchedule_Fires_StopsWhilePaused_AndSurvivesARestart()
    {
        var worker = await TestWorker.StartAsync(patients: 1);
        try
        {
            using (var client = worker.Client())
            {
                var put = await client.PutAsJsonAsync("/api/schedules/every-2s", new { ehr = "mock", cron = "0/2 * * * * ?", timeZone = "America/Chicago" });
                Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
                var view = (await put.Content.ReadFromJsonAsync<ScheduleView>(TestWorker.Json))!;
                Assert.NotNull(view.NextFire);

                await WaitForRunsAsync(client, "every-2s", 1, TimeSpan.FromSeconds(30));
                Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync("/api/schedules/every-2s/pause", null)).StatusCode);
                var paused = (await ScheduledRunsAsync(client, "every-2s")).Count;
                await Task.Delay(TimeSpan.FromSeconds(5));
                Assert.Equal(paused, (await ScheduledRunsAsync(client, "every-2s")).Count);
                Assert.True((await client.GetFromJsonAsync<ScheduleView>("/api/schedules/every-2s", TestWorker.Json))!.Paused);
            }

            worker = await worker.RestartAsync();

            using (var client = worker.Client())
            {
                var schedules = await client.GetFromJsonAsync<List<ScheduleView>>("/api/schedules", TestWorker.Json);
                var kept = Assert.Single(schedules!);
                Assert.Equal(("every-2s", "0/2 * * * * ?", "America/Chicago", true), (kept.Definition.Id, kept.Definition.Cron, kept.Definition.TimeZone, kept.Paused));
                var before = (await ScheduledRunsAsync(client, "every-2s")).Count;
                Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync("/api/schedules/every-2s/resume", null)).StatusCode);
                await WaitForRunsAsync(client, "every-2s", before + 1, TimeSpan.FromSeconds(30));
                Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("/api/schedules/every-2s")).StatusCode);
                Assert.Equal("[]", await client.GetStringAsync("/api/schedules"));
            }
        }
        finally
        {
            await worker.DisposeAsync();
        }
    }

    [Theory]
    [InlineData("runOnce", true)]
    [InlineData("skip", false)]
    public async Task MissedFiring_FollowsTheMisfirePolicy(string policy, bool runsOnResume)
    {
        await using var worker = await TestWorker.StartAsync(patients: 1, new Dictionary<string, string?> { ["Worker:MisfireThreshold"] = "00:00:01" });
        using var client = worker.Client();
        // Once a day, a few seconds from now; paused over that moment, so the firing is missed.
        var at = TimeProvider.System.GetUtcNow().AddSeconds(4);
        var cron = $"{at.Second} {at.Minute} {at.Hour} * * ?";
        Assert.True((await client.PutAsJsonAsync("/api/schedules/daily", new { ehr = "mock", cron, misfire = policy })).IsSuccessStatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync("/api/schedules/daily/pause", null)).StatusCode);
        await Task.Delay(at - TimeProvider.System.GetUtcNow() + TimeSpan.FromSeconds(3));

        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync("/api/schedules/daily/resume", null)).StatusCode);
        await Task.Delay(TimeSpan.FromSeconds(4));

        Assert.Equal(runsOnResume ? 1 : 0, (await ScheduledRunsAsync(client, "daily")).Count);
        var view = await client.GetFromJsonAsync<ScheduleView>("/api/schedules/daily", TestWorker.Json);
        Assert.True(view!.NextFire > TimeProvider.System.GetUtcNow().AddHours(23), $"next firing {view.NextFire}");
    }

    [Fact]
    public async Task PutSchedule_BadCronZoneAndEhr_SaysEveryProblem()
    {
        await using var worker = await TestWorker.StartAsync(patients: 1);
        using var client = worker.Client();

        var response = await client.PutAsJsonAsync("/api/schedules/bad", new { ehr = "other", cron = "every night", timeZone = "Mars/Olympus" });
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("cron 'every night' is not a Quartz cron expression", body);
        Assert.Contains("timeZone 'Mars/Olympus' is not a known time zone id", body);
        Assert.Contains("no EHR named 'other' for this tenant", body);
    }

    [Fact]
    public async Task TwoRunsOnAOneSessionEhr_NeverHoldTwoSessionsAtOnce()
    {
        await using var worker = await TestWorker.StartAsync(patients: 2, new Dictionary<string, string?> { ["Worker:MaxConcurrentShards"] = "4" });
        var first = await worker.StartRunAsync(new { ehr = "mock" });
        var second = await worker.StartRunAsync(new { ehr = "mock" });
        await worker.WaitForRunAsync(first);
        await worker.WaitForRunAsync(second);

        using var client = worker.Client();
        var shards = new List<ShardRecord>();
        foreach (var id in new[] { first, second })
        {
            shards.AddRange((await client.GetFromJsonAsync<List<ShardRecord>>($"/api/runs/{id}/shards", TestWorker.Json))!);
        }
        Assert.Equal(2, shards.Count);
        var (a, b) = (shards[0], shards[1]);
        Assert.True(a.Finished <= b.Started || b.Finished <= a.Started, $"shards overlapped: {a.Started}-{a.Finished} and {b.Started}-{b.Finished}");
    }
}
