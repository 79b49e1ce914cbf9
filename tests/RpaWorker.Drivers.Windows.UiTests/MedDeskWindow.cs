using System.Runtime.Versioning;
using RpaWorker.Drivers.Windows.Uia;
using RpaWorker.Ui;

// One test window at a time: every session attaches to the process by its name.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace RpaWorker.Drivers.Windows.UiTests;

/// <summary>
/// Starts the WinForms test window (MedDeskTest.exe) through the driver's own <c>?exec=</c> address, and ends it when
/// the session is disposed. The executable comes from RPA_UIA_TESTAPP, else from the test app's Release output
/// beside this project. Missing means the Windows job did not build it: the tests fail, they do not skip.
/// </summary>
[SupportedOSPlatform("windows")]
internal static class MedDeskWindow
{
    public const string Process = "MedDeskTest";
    public const string Patient = "DOE, JOHN A";
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    public static readonly TimeSpan Short = TimeSpan.FromSeconds(2);

    public static string Executable
    {
        get
        {
            if (Environment.GetEnvironmentVariable("RPA_UIA_TESTAPP") is { Length: > 0 } configured)
            {
                return File.Exists(configured) ? configured : throw new FileNotFoundException($"RPA_UIA_TESTAPP points to a missing file: {configured}");
            }
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "tests", "RpaWorker.Drivers.Windows.TestApp", "bin", "Release", "net10.0-windows", Process + ".exe");
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
            throw new FileNotFoundException(
                "MedDeskTest.exe not found: build tests/RpaWorker.Drivers.Windows.TestApp -c Release first, or set RPA_UIA_TESTAPP");
        }
    }

    /// <summary>A session on a freshly started test window, at its sign-in form.</summary>
    public static async Task<(IUiDriver Driver, IUiSession Session)> StartAsync()
    {
        var driver = new UiaUiDriver();
        var session = await driver.OpenSessionAsync(new UiSessionOptions(), CancellationToken.None);
        var address = $"uia://{Process}?exec={Uri.EscapeDataString("\"" + Executable + "\"")}";
        var opened = await session.NavigateAsync(address, Wait, CancellationToken.None);
        Assert.True(opened.Ok, opened.Reason);
        return (driver, session);
    }

    /// <summary>A session signed in to the chart.</summary>
    public static async Task<(IUiDriver Driver, IUiSession Session)> SignedInAsync()
    {
        var (driver, session) = await StartAsync();
        await SignInAsync(session, "secret");
        var name = await session.ReadTextAsync(Target(LocatorKind.RightOf, "Name:"), Wait, CancellationToken.None);
        Assert.True(name.Ok, name.Reason);
        return (driver, session);
    }

    public static async Task SignInAsync(IUiSession session, string password)
    {
        Ok(await session.FillAsync(Target(LocatorKind.Label, "User name"), "clerk", Wait, CancellationToken.None));
        Ok(await session.FillAsync(Target(LocatorKind.Label, "Password"), password, Wait, CancellationToken.None));
        Ok(await session.ClickAsync(Target(LocatorKind.Role, "button", "Sign in"), Wait, CancellationToken.None));
    }

    public static UiTarget Target(LocatorKind kind, string value, string? name = null, bool exact = false) =>
        UiTarget.Of(new UiLocator(kind, value, name, exact));

    public static void Ok<T>(UiResult<T> result) => Assert.True(result.Ok, result.Reason);

    /// <summary>Runs a test on a fresh test window at its sign-in form, and closes the window after it.</summary>
    public static Task AtSignInAsync(Func<IUiSession, Task> test) => RunAsync(StartAsync, test);

    /// <summary>Runs a test on a fresh test window signed in to the chart, and closes the window after it.</summary>
    public static Task InChartAsync(Func<IUiSession, Task> test) => RunAsync(SignedInAsync, test);

    private static async Task RunAsync(Func<Task<(IUiDriver Driver, IUiSession Session)>> start, Func<IUiSession, Task> test)
    {
        var (driver, session) = await start();
        try
        {
            await test(session);
        }
        finally
        {
            await session.DisposeAsync();
            await driver.DisposeAsync();
        }
    }
}
