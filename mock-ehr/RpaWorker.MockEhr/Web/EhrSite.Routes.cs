using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using OtpNet;
using RpaWorker.MockEhr.Data;

namespace RpaWorker.MockEhr.Web;

internal sealed partial class EhrSite
{
    /// <summary>Adds fault injection and every page to <paramref name="app"/>.</summary>
    public void Map(WebApplication app)
    {
        app.Use((context, next) => FaultInjection.InvokeAsync(context, () => next(context), options, _dice, time));
        app.MapGet("/health", () => Results.Text("ok"));
        app.MapGet("/", () => Results.Redirect("/patients"));
        app.MapGet("/login", (HttpContext c) => Page(LoginPage(LocalOrNull(c.Request.Query["returnUrl"]), null)));
        app.MapPost("/login", (Delegate)LoginAsync);
        app.MapPost("/login/otp", (Delegate)OtpAsync);
        app.MapGet("/logout", (HttpContext c) =>
        {
            _sessions.Remove(c.Request.Cookies[SessionTable.CookieName]);
            c.Response.Cookies.Delete(SessionTable.CookieName);
            return Results.Redirect("/login");
        });
        app.MapGet("/patients", (HttpContext c) => Guard(c, null, () => Page(PatientListPage(
            c.Request.Query[_skin.NameParam], c.Request.Query[_skin.MrnParam], c.Request.Query[_skin.DobParam], PageNumber(c)))));
        app.MapGet("/chart/{id:long}", (HttpContext c, long id) => Guard(c, null, () =>
            store.GetChart(id) is { } chart
                ? Page(ChartPage(chart, c.Request.Query.TryGetValue("tab", out var tab) ? tab.ToString() : null, PageNumber(c)))
                : NotFound()));
        app.MapGet("/chart/{id:long}/documents/{docId:long}", (HttpContext c, long id, long docId) => Guard(c, null, () =>
            store.GetChart(id) is { } chart && chart.Documents.FirstOrDefault(d => d.Id == docId) is { } doc
                ? Page(DocumentPage(chart, doc))
                : NotFound()));
        app.MapGet("/chart/{id:long}/documents/{docId:long}/scan.png", (HttpContext c, long id, long docId) => Guard(c, null, () =>
            store.GetChart(id) is { } chart && chart.Documents.FirstOrDefault(d => d.Id == docId && d.Type == LegacyDocument.Letter) is { } doc
                ? Results.File(LetterImage.Render(doc.Text), "image/png")
                : NotFound()));
        // An expired frame sends the user back to the chart tab holding it, not to the bare frame.
        app.MapGet("/frame/allergies/{id:long}", (HttpContext c, long id) =>
            Guard(c, $"/chart/{id}?tab={(_skin.AllergiesOnProblemsTab ? "problems" : "allergies")}", () =>
                store.GetChart(id) is { } chart ? Page(AllergyFramePage(chart, PageNumber(c))) : NotFound()));
    }

    private async Task<IResult> LoginAsync(HttpContext c)
    {
        var form = await c.Request.ReadFormAsync(c.RequestAborted);
        var returnUrl = LocalOrNull(form["returnUrl"]);
        if (!string.Equals(form[_skin.UserField], options.UserName, StringComparison.Ordinal) ||
            !string.Equals(form[_skin.PasswordField], options.Password, StringComparison.Ordinal))
        {
            return Page(LoginPage(returnUrl, "Invalid username or password."));
        }
        var twoStep = !string.IsNullOrEmpty(options.TotpSecret);
        _sessions.Remove(c.Request.Cookies[SessionTable.CookieName]);
        var session = _sessions.Create(signedIn: !twoStep, returnUrl);
        c.Response.Cookies.Append(SessionTable.CookieName, session.Id, new CookieOptions { HttpOnly = true, Path = "/" });
        return twoStep ? Page(OtpPage(null)) : Results.Redirect(returnUrl ?? "/patients");
    }

    private async Task<IResult> OtpAsync(HttpContext c)
    {
        var form = await c.Request.ReadFormAsync(c.RequestAborted);
        if (string.IsNullOrEmpty(options.TotpSecret) ||
            _sessions.Touch(c.Request.Cookies[SessionTable.CookieName], out var session) != SessionState.Active || session is null)
        {
            return Results.Redirect("/login");
        }
        var code = form[_skin.OtpField].ToString().Trim();
        var totp = new Totp(Base32Encoding.ToBytes(options.TotpSecret));
        if (code.Length != 6 || !totp.VerifyTotp(time.GetUtcNow().UtcDateTime, code, out _, VerificationWindow.RfcSpecifiedNetworkDelay))
        {
            return Page(OtpPage("Invalid verification code."));
        }
        session.SignedIn = true;
        return Results.Redirect(session.ReturnUrl ?? "/patients");
    }

    private IResult Guard(HttpContext c, string? returnUrl, Func<IResult> page)
    {
        var here = returnUrl ?? c.Request.Path + c.Request.QueryString;
        return _sessions.Touch(c.Request.Cookies[SessionTable.CookieName], out var session) switch
        {
            SessionState.Expired => Page(ExpiredPage(here)),
            SessionState.Active when session is { SignedIn: true } => page(),
            _ => Results.Redirect("/login?returnUrl=" + Html.Q(here)),
        };
    }

    private IResult NotFound() => Page(Layout("Not Found", "<font color=\"#CC0000\"><b>Patient record not found.</b></font>"), StatusCodes.Status404NotFound);

    private static IResult Page(string html, int status = StatusCodes.Status200OK) =>
        Results.Content(html, "text/html", Encoding.UTF8, status);

    private static int PageNumber(HttpContext c) =>
        int.TryParse(c.Request.Query["page"], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 1;

    // Only paths on this site, so the login form cannot be turned into an open redirect.
    private static string? LocalOrNull(string? url) =>
        url is ['/', not '/' and not '\\', ..] or "/" ? url : null;
}
