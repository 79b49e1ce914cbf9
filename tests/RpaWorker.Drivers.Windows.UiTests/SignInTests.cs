using System.Runtime.Versioning;
using RpaWorker.Ui;
using static RpaWorker.Drivers.Windows.UiTests.MedDeskWindow;

namespace RpaWorker.Drivers.Windows.UiTests;

[SupportedOSPlatform("windows")]
public sealed class SignInTests
{
    [Fact]
    public async Task SignIn_LabelledFieldsAndButton_OpenTheChart()
    {
        await AtSignInAsync(async session =>
        {
            Assert.StartsWith($"uia://{Process}#MedDesk Classic - Sign in", session.Location, StringComparison.Ordinal);

            await SignInAsync(session, "secret");

            var name = await session.ReadTextAsync(Target(LocatorKind.RightOf, "Name:"), Wait, CancellationToken.None);
            Assert.Equal(Patient, name.Value);
            Assert.StartsWith($"uia://{Process}/Problems#", session.Location, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task SignIn_WrongPassword_ShowsAMessageBoxThatAcceptDialogCloses()
    {
        await AtSignInAsync(async session =>
        {
            await SignInAsync(session, "wrong");

            Assert.Equal(new UiDialog("message", "Wrong user name or password."), session.OpenDialog);
            var blocked = await session.ClickAsync(Target(LocatorKind.Role, "button", "Sign in"), Short, CancellationToken.None);
            Assert.Equal(UiFailure.Blocked, blocked.Failure);

            Ok(await session.AcceptDialogAsync(CancellationToken.None));
            Assert.Null(session.OpenDialog);
        });
    }

    [Fact]
    public async Task PressEnter_InThePasswordBox_SignsInThroughTheDefaultButton()
    {
        await AtSignInAsync(async session =>
        {
            Ok(await session.FillAsync(Target(LocatorKind.Label, "User name"), "clerk", Wait, CancellationToken.None));
            Ok(await session.FillAsync(Target(LocatorKind.Label, "Password"), "secret", Wait, CancellationToken.None));

            Ok(await session.PressAsync("Enter", Target(LocatorKind.AccessibilityId, "passwordBox"), Wait, CancellationToken.None));

            var name = await session.ReadTextAsync(Target(LocatorKind.RightOf, "Name:"), Wait, CancellationToken.None);
            Assert.Equal(Patient, name.Value);
        });
    }
}
