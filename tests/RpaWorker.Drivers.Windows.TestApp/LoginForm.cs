namespace RpaWorker.Drivers.Windows.TestApp;

/// <summary>The sign-in form: labelled user name and password boxes and a default button.</summary>
internal sealed class LoginForm : Form
{
    private readonly TextBox _user;
    private readonly TextBox _password;

    public LoginForm()
    {
        Text = "MedDesk Classic - Sign in";
        Name = "LoginForm";
        ClientSize = new Size(360, 160);
        FormBorderStyle = FormBorderStyle.FixedDialog;
        StartPosition = FormStartPosition.CenterScreen;

        // A label placed just before its text box in the tab order names the box for UI Automation.
        var userLabel = new Label { Text = "User name:", Location = new Point(12, 18), AutoSize = true, TabIndex = 0 };
        _user = new TextBox { Name = "userBox", Location = new Point(110, 15), Width = 220, TabIndex = 1 };
        var passwordLabel = new Label { Text = "Password:", Location = new Point(12, 52), AutoSize = true, TabIndex = 2 };
        _password = new TextBox { Name = "passwordBox", Location = new Point(110, 49), Width = 220, UseSystemPasswordChar = true, TabIndex = 3 };
        var signIn = new Button { Name = "signIn", Text = "Sign in", Location = new Point(110, 90), Width = 100, TabIndex = 4 };
        signIn.Click += (_, _) => TrySignIn();
        AcceptButton = signIn;
        Controls.AddRange([userLabel, _user, passwordLabel, _password, signIn]);
    }

    public event EventHandler? SignedIn;

    private void TrySignIn()
    {
        if (_user.Text == "clerk" && _password.Text == "secret")
        {
            SignedIn?.Invoke(this, EventArgs.Empty);
            return;
        }
        MessageBox.Show(this, "Wrong user name or password.", "Sign in", MessageBoxButtons.OK, MessageBoxIcon.Warning);
    }
}
