using System.Text;
using RpaWorker.MockEhr.Data;
using static RpaWorker.MockEhr.Web.Html;

namespace RpaWorker.MockEhr.Web;

/// <summary>
/// The mock EHR's pages. Markup is written the way a 2005 product was: no doctype, layout tables,
/// font tags, labels in plain cells next to values, hardly any ids or classes.
/// </summary>
internal sealed partial class EhrSite(LegacyStore store, MockEhrOptions options, TimeProvider time)
{
    public const string Product = "MedWeb Classic 4.2";

    private readonly Skin _skin = Skin.For(options.Skin);
    private readonly FaultDice _dice = new(options.FaultSeed);
    private readonly SessionTable _sessions = new(time, options.IdleTimeout);

    private string Layout(string title, string body, bool signedIn = true)
    {
        var menu = signedIn
            ? $"<font color=\"#FFFFFF\" size=\"2\">User: {E(options.UserName)} &nbsp;|&nbsp; <a href=\"/patients\"><font color=\"#FFFFFF\">Patient Search</font></a> &nbsp;|&nbsp; <a href=\"/logout\"><font color=\"#FFFFFF\">{E(_skin.LogoutText)}</font></a></font>"
            : "&nbsp;";
        return $"""
            <html>
            <head>
            <meta http-equiv="Content-Type" content="text/html; charset=utf-8">
            <title>{Product} - {E(title)}</title>
            </head>
            <body bgcolor="#FFFFFF" leftmargin="0" topmargin="0" marginwidth="0" marginheight="0" style="font-family:Arial,Helvetica,sans-serif;font-size:12px">
            <table width="100%" border="0" cellspacing="0" cellpadding="4" bgcolor="#003366">
            <tr><td><font color="#FFFFFF" size="4" face="Georgia"><b><i>MedWeb</i></b></font><font color="#FFCC00" size="2"> Classic 4.2</font></td>
            <td align="right">{menu}</td></tr>
            </table>
            <table width="100%" border="0" cellspacing="0" cellpadding="0" bgcolor="#6699CC"><tr><td height="4"></td></tr></table>
            <table width="100%" border="0" cellspacing="0" cellpadding="8"><tr><td>
            {body}
            </td></tr></table>
            <hr size="1" color="#CCCCCC">
            <center><font size="1" color="#808080">{Product} &copy; 2001-2005 Meridian Clinical Systems, Inc. Best viewed with Internet Explorer 6.0 at 1024x768.</font></center>
            </body>
            </html>
            """;
    }

    private string LoginPage(string? returnUrl, string? error) => Layout("Login", SignInBox(
        $"Welcome to {Product}", $"{Product} - Clinical Information System. Authorized users only. All access is logged.", "/login", error, $"""
        <input type="hidden" name="returnUrl" value="{E(returnUrl)}">
        <tr><td>Username:</td><td><input type="text" name="{_skin.UserField}" id="{_skin.UserField}" size="20" maxlength="30"></td></tr>
        <tr><td>Password:</td><td><input type="password" name="{_skin.PasswordField}" id="{_skin.PasswordField}" size="20" maxlength="30"></td></tr>
        <tr><td></td><td><input type="submit" value="{_skin.LoginButton}"></td></tr>
        """), signedIn: false);

    private string OtpPage(string? error) => Layout("Verification", SignInBox(
        "Two-Step Verification", "Enter the 6-digit code from your authenticator.", "/login/otp", error, $"""
        <tr><td>Code:</td><td><input type="text" name="{_skin.OtpField}" id="{_skin.OtpField}" size="8" maxlength="6" autocomplete="off"></td></tr>
        <tr><td></td><td><input type="submit" value="{_skin.OtpButton}"></td></tr>
        """), signedIn: false);

    private static string SignInBox(string title, string intro, string action, string? error, string fieldRows)
    {
        var err = error is null ? "" : $"<tr><td colspan=\"2\"><font color=\"#CC0000\"><b>{E(error)}</b></font></td></tr>";
        return $"""
            <br><br>
            <table width="420" align="center" border="1" cellspacing="0" cellpadding="6" bordercolor="#003366">
            <tr><td bgcolor="#003366"><font color="#FFFFFF"><b>{E(title)}</b></font></td></tr>
            <tr><td bgcolor="#F0F0F0">
            <font size="2">{E(intro)}</font>
            <form method="post" action="{action}">
            <table border="0" cellpadding="3">
            {err}
            {fieldRows}
            </table>
            </form>
            </td></tr>
            </table>
            """;
    }

    private string ExpiredPage(string returnUrl)
    {
        var body = $"""
            <br><br>
            <table width="420" align="center" border="1" cellspacing="0" cellpadding="8" bgcolor="#FFFFE0">
            <tr><td><font color="#CC0000"><b>Session Expired</b></font><br><br>
            Your session has expired. Please log in again.<br><br>
            <a href="/login?returnUrl={E(Q(returnUrl))}" target="_top">Click here to log in</a>
            </td></tr>
            </table>
            """;
        return Layout("Session Expired", body, signedIn: false);
    }

    private string PatientListPage(string? name, string? mrn, string? dob, int page)
    {
        var sb = new StringBuilder();
        sb.Append($"""
            <font size="3"><b>Patient Search</b></font>
            <form method="get" action="/patients">
            <table border="0" cellpadding="2" bgcolor="#E8E8E8">
            <tr><td>Last, First:</td><td><input type="text" name="{_skin.NameParam}" value="{E(name)}" size="24"></td>
            <td>MRN:</td><td><input type="text" name="{_skin.MrnParam}" value="{E(mrn)}" size="12"></td>
            <td>DOB (MM/DD/YYYY):</td><td><input type="text" name="{_skin.DobParam}" value="{E(dob)}" size="12"></td>
            <td><input type="submit" value="{_skin.SearchButton}"></td></tr>
            </table>
            </form>

            """);
        string? isoDob = null;
        if (!string.IsNullOrWhiteSpace(dob) && (isoDob = LegacyFormat.ParseTypedDate(dob)) is null)
        {
            sb.Append("<font color=\"#CC0000\">Invalid date of birth. Please use MM/DD/YYYY.</font>");
            return Layout("Patient Search", sb.ToString());
        }
        var found = store.SearchPatients(name, mrn, isoDob);
        if (found.Count == 0)
        {
            sb.Append("<br><font color=\"#CC0000\"><b>No patients found</b></font>");
            return Layout("Patient Search", sb.ToString());
        }
        var paged = Paged<LegacyPatient>.Of(found, page, options.PageSize);
        var columns = _skin.Columns<LegacyPatient>(_skin.PatientColumns,
            ("Name", "Pt Name", p => $"<a href=\"/chart/{p.Id}\">{E(LegacyFormat.Name(p))}</a>"),
            ("MRN", "Med Rec #", p => E(p.Mrn)),
            ("DOB", "D.O.B.", p => E(LegacyFormat.Date(p.BirthDate))),
            ("Sex", "Gender", p => E(p.Sex)));
        sb.Append($"<font size=\"2\">{found.Count} patient(s) found</font>\n");
        sb.Append(Grid(columns, paged.Items, "No patients found"));
        sb.Append(Pager(paged.Page, paged.PageCount, p =>
            $"/patients?{_skin.NameParam}={Q(name)}&{_skin.MrnParam}={Q(mrn)}&{_skin.DobParam}={Q(dob)}&page={p}"));
        return Layout("Patient Search", sb.ToString());
    }
}
