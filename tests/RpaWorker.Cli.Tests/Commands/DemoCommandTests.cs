namespace RpaWorker.Cli.Tests.Commands;

// Starts rpa processes with a desktop application: one such class at a time.
[Collection("rpa processes")]
public sealed class DemoCommandTests
{
    [Fact]
    public async Task Demo_DesktopDriver_ReadsTheDesktopMockIntoTheSameFhirAsItsGroundTruth()
    {
        var output = Directory.CreateTempSubdirectory("rpa-demo-desktop-").FullName;
        try
        {
            var (exit, stdout, stderr) = await RpaProcess.RunAsync(new Dictionary<string, string>(),
                "demo", "--driver", "atspi", "--patients", "2", "--seed", "11", "--out", output);

            Assert.True(exit == 0, $"exit {exit}\n{stdout}\n{stderr}");
            Assert.Contains("Patients: 2 read, 2 succeeded, 0 failed", stdout);
            // The desktop application the run started writes nothing into the run's console.
            Assert.DoesNotContain("CRITICAL", stdout + stderr);

            var (scoreExit, score, scoreErr) = await RpaProcess.RunAsync(new Dictionary<string, string>(),
                "score", "--truth", Path.Combine(output, "ground-truth"), "--out", Path.Combine(output, "fhir"));
            Assert.True(scoreExit == 0, $"exit {scoreExit}\n{score}\n{scoreErr}");
            Assert.Contains("0 difference(s)", score);
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    [Fact]
    public async Task Demo_UnknownDriver_ExitsTwoListingTheDrivers()
    {
        var (exit, _, stderr) = await RpaProcess.RunAsync(new Dictionary<string, string>(), "demo", "--driver", "citrix");

        Assert.Equal(2, exit);
        Assert.Contains("web", stderr);
        Assert.Contains("atspi", stderr);
    }
}
