namespace RpaWorker.Drivers.Windows.TestApp;

/// <summary>
/// MedDesk Classic, test edition: a sign-in form, then a chart with labelled fields, a combo box, a tab control with
/// a list view and a list box, and a message box. Sign in as clerk / secret.
/// </summary>
internal static class Program
{
    [STAThread]
    private static void Main()
    {
        Application.EnableVisualStyles();
        Application.SetCompatibleTextRenderingDefault(false);
        var context = new ApplicationContext();
        var login = new LoginForm();
        login.SignedIn += (_, _) =>
        {
            var chart = new ChartForm();
            chart.FormClosed += (_, _) => context.ExitThread();
            context.MainForm = chart;
            chart.Show();
            login.Hide();
        };
        login.FormClosed += (_, _) =>
        {
            if (context.MainForm is null)
            {
                context.ExitThread();
            }
        };
        login.Show();
        Application.Run(context);
    }
}
