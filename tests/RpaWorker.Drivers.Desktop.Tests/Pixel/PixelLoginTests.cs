using RpaWorker.Drivers.Desktop.Tests.Pixel.Support;
using RpaWorker.Ui;
using static RpaWorker.Drivers.Desktop.Tests.Pixel.Support.PixelFlows;

namespace RpaWorker.Drivers.Desktop.Tests.Pixel;

/// <summary>The mock EHR's login page in a real Chromium window, seen and driven only as pixels.</summary>
[Collection(PixelCollection.Name)]
public sealed class PixelLoginTests(PixelFixture fixture)
{
    private static readonly CancellationToken None = CancellationToken.None;

    private async Task<(ChromiumApp App, IUiSession Session)> OpenLoginAsync()
    {
        var app = await ChromiumApp.LaunchAsync(fixture.Url("login"), "Login", fixture.Display);
        var session = await fixture.Driver.OpenSessionAsync(new UiSessionOptions(), None);
        AssertOk(await session.NavigateAsync(app.Address, PixelFixture.Wait, None));
        return (app, session);
    }

    [Fact]
    public async Task ShowsTextAsync_LoginWindow_ReadsItsWordsAndNoOthers()
    {
        var (app, session) = await OpenLoginAsync();
        await using (app)
        await using (session)
        {
            foreach (var text in new[] { "Welcome to MedWeb Classic 4.2", "Clinical Information System", "All access is logged", "Username:", "Password:", "Login" })
            {
                Assert.True(await session.ShowsTextAsync(text, None), $"the login window should show '{text}'");
            }
            Assert.False(await session.ShowsTextAsync("Patient Search", None));
            Assert.False(await session.ShowsTextAsync("Your session has expired", None));
            Assert.Equal(app.Address, session.Location);
        }
    }

    [Fact]
    public async Task FillAndClickAsync_LoginForm_SignsInWithSyntheticKeysAndClicks()
    {
        var app = await ChromiumApp.LaunchAsync(fixture.Url("login"), "Login", fixture.Display);
        await using (app)
        await using (var session = await fixture.Driver.OpenSessionAsync(new UiSessionOptions(), None))
        {
            await LoginAsync(session, app.Address);

            Assert.True(await session.ShowsTextAsync("Patient Search", None));
            Assert.True(await session.ShowsTextAsync("patient(s) found", None));
            Assert.True(await session.ShowsTextAsync("Logout", None));
            Assert.False(await session.ShowsTextAsync("Welcome to MedWeb", None));
        }
    }

    [Fact]
    public async Task FillAsync_WrongPassword_TheServerSaysSo()
    {
        var (app, session) = await OpenLoginAsync();
        await using (app)
        await using (session)
        {
            AssertOk(await session.FillAsync(Target(LocatorKind.Label, "Username:", "login.user"), "clinician", PixelFixture.Wait, None));
            AssertOk(await session.FillAsync(Target(LocatorKind.Label, "Password:", "login.password"), "not-the-password", PixelFixture.Wait, None));
            AssertOk(await session.PressAsync("Enter", null, PixelFixture.Wait, None));

            AssertOk(await session.ReadTextAsync(Target(LocatorKind.Text, "Invalid username or password.", "login.error"), PixelFixture.Wait, None));
            Assert.False(await session.ShowsTextAsync("patient(s) found", None));
        }
    }

    [Fact]
    public async Task ClickAsync_TextThatDoesNothing_IsBlockedBecauseTheScreenDidNotChange()
    {
        var (app, session) = await OpenLoginAsync();
        await using (app)
        await using (session)
        {
            var result = await session.ClickAsync(Target(LocatorKind.Text, "Clinical Information System", "login.notice"), TimeSpan.FromSeconds(3), None);

            Assert.Equal(UiFailure.Blocked, result.Failure);
            Assert.Contains("login.notice", result.Reason);
            Assert.Contains("did not change", result.Reason);
        }
    }

    [Fact]
    public async Task Locators_OnlyThePixelKinds_Resolve()
    {
        var (app, session) = await OpenLoginAsync();
        await using (app)
        await using (session)
        {
            var css = await session.ReadTextAsync(Target(LocatorKind.Css, "#username", "login.user"), TimeSpan.FromSeconds(1), None);
            Assert.Equal(UiFailure.Unsupported, css.Failure);

            // A CSS locator first, then OCR text: the second one resolves, and the result says which.
            var fallback = await session.ReadTextAsync(
                new UiTarget([new UiLocator(LocatorKind.Css, "h1"), new UiLocator(LocatorKind.OcrText, "Welcome to MedWeb")], "login.title"),
                PixelFixture.Wait, None);
            AssertOk(fallback);
            Assert.Equal(1, fallback.Locator);
            Assert.Equal("Welcome to MedWeb Classic 4.2", fallback.Value);

            var missing = await session.ReadTextAsync(Target(LocatorKind.Text, "Appointments", "menu.appointments"), TimeSpan.FromSeconds(1), None);
            Assert.Equal(UiFailure.NotFound, missing.Failure);
        }
    }

    [Fact]
    public async Task SelectAsync_DropDownRightOfItsLabel_ChoosesTheOption()
    {
        await using var app = await ChromiumApp.LaunchAsync(CraftedForm.Address, "Crafted form", fixture.Display);
        await using var session = await fixture.Driver.OpenSessionAsync(new UiSessionOptions(), None);
        AssertOk(await session.NavigateAsync(app.Address, PixelFixture.Wait, None));

        var select = await session.SelectAsync(Target(LocatorKind.Label, "Clinic:", "form.clinic"), "South Clinic", PixelFixture.Wait, None);

        AssertOk(select);
        AssertOk(await session.ReadTextAsync(Target(LocatorKind.Text, "Chosen: South Clinic", "form.chosen"), PixelFixture.Wait, None));
        Assert.False(await session.ShowsTextAsync("Nothing chosen", None));
    }

    [Fact]
    public async Task NavigateAsync_NoSuchWindow_IsNotFoundAndNamesNoTitle()
    {
        await using var session = await fixture.Driver.OpenSessionAsync(new UiSessionOptions(), None);

        var result = await session.NavigateAsync("x11:window=DOE, JANE - Chart", TimeSpan.FromSeconds(1), None);

        Assert.Equal(UiFailure.NotFound, result.Failure);
        Assert.DoesNotContain("DOE", result.Reason);
        Assert.Equal(UiFailure.Unsupported, (await session.NavigateAsync("x11:window=", TimeSpan.FromSeconds(1), None)).Failure);
        Assert.Equal(UiFailure.NotFound, (await session.ReadTextAsync(Target(LocatorKind.Text, "Login", "x"), TimeSpan.FromSeconds(1), None)).Failure);
    }
}
