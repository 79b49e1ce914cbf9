using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace RpaWorker.Drivers.Web.Tests.Support;

/// <summary>
/// Small hand-written pages in the style of a 2005 EHR (layout tables, label cells, iframes, overlay popups), served on
/// 127.0.0.1 and a free port. Patient values carry <see cref="Canary"/> so tests can prove reasons never quote the screen.
/// </summary>
public sealed class LegacyPages : IAsyncDisposable
{
    public const string Canary = "ZQXCANARY4471";

    private readonly WebApplication _app;

    private LegacyPages(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public string Url(string path) => new Uri(BaseAddress, path).ToString();

    public static async Task<LegacyPages> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        foreach (var (path, html) in Pages)
        {
            app.MapGet(path, () => Results.Content(Page(html), "text/html"));
        }
        app.MapGet("/error", () => Results.Content(Page("<h2>Runtime Error</h2>"), "text/html", statusCode: StatusCodes.Status500InternalServerError));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new LegacyPages(app, new Uri(address.TrimEnd('/') + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static string Page(string body) =>
        $"<html><head><title>MedWeb</title></head><body style=\"font-family:Arial;font-size:12px\">{body}</body></html>";

    private static readonly (string Path, string Html)[] Pages =
    [
        ("/demographics", $"""
            <table border="1" cellpadding="3"><tr>
            <td>Patient:</td><td><b>{Canary}, JANE</b></td>
            <td>DOB:</td><td>03/14/1987</td>
            <td>Sex</td><td>Female</td></tr></table>
            <br>
            <table border="1"><tr><td>MRN</td><td>Home Ph</td></tr><tr><td>0012345</td><td>555-0100</td></tr></table>
            <br>
            <div><span>Language</span> &nbsp;&nbsp; <span>English</span></div>
            """),
        ("/form", """
            <form method="get" action="/form">
            <table border="0" cellpadding="3">
            <tr><td>Username</td><td><input type="text" name="u" size="20"></td></tr>
            <tr><td>Password:</td><td><input type="password" name="p" size="20"></td></tr>
            <tr><td><label for="clinic">Clinic</label></td><td><select id="clinic"><option>North Clinic</option><option>South Clinic</option></select></td></tr>
            <tr><td>Chart #</td><td><input type="text" name="c" value="0012345" readonly></td></tr>
            <tr><td></td><td><input type="submit" value="Login"> <button type="button" disabled>Sign</button></td></tr>
            </table>
            </form>
            """),
        ("/problems", $"""
            <table width="100%"><tr><td bgcolor="#D4D0C8"><a href="/problems">Problem List</a></td><td>Medications</td></tr></table>
            <table width="100%" border="1"><tr><td>
            <font size="3"><b>PROBLEM LIST</b></font><br>
            <font size="1">3 record(s)</font>
            <table border="1" cellspacing="0">
            <tr bgcolor="#C0C0C0"><th>Code</th><th>Description</th><th>Onset</th></tr>
            <tr><td>44054006</td><td>Diabetes   mellitus
              type 2</td><td>03/2011</td></tr>
            <tr><td>38341003</td><td>{Canary} hypertension</td><td>Mar 5 '19</td></tr>
            <tr><td>195967001</td><td>Asthma</td><td></td></tr>
            <tr><td colspan="3" align="right">Page 1 of 1</td></tr>
            </table>
            </td></tr></table>
            <b>Care Team</b>
            <ul><li>Dr. Adams   (PCP)</li><li>Dr. Baker</li></ul>
            """),
        ("/frames", """
            <font size="3"><b>Allergies</b></font><br>
            <iframe src="/frames/allergies" name="allergyframe" width="100%" height="200"></iframe>
            """),
        ("/frames/allergies", """
            <table border="1"><tr><th>Substance</th><th>Reaction</th></tr>
            <tr><td>Penicillin</td><td>Hives</td></tr></table>
            """),
        ("/modal", $"""
            <table><tr><td>Note:</td><td>{Canary}</td></tr></table>
            <input type="button" value="Save" onclick="document.title='saved'">
            <div style="position:fixed;left:0;top:0;width:100%;height:100%;z-index:1000;background-color:rgba(0,0,0,0.45)">
            <table width="360" align="center" bgcolor="#ECE9D8" style="margin-top:140px"><tr><td>Reminder: {Canary}</td></tr>
            <tr><td><input type="button" value="OK" onclick="this.closest('div').style.display='none'"></td></tr></table>
            </div>
            """),
        ("/alert", """
            <input type="button" value="Open Chart" onclick="alert('3 unsigned notes'); document.title='after';">
            """),
        ("/links", $"""
            <p>{Canary}</p>
            <table><tr><td><a href="/links?p=2">Next</a></td><td><a href="/links?p=2">Next</a></td>
            <td><font><a href="/links?p=2">Next</a></font></td></tr></table>
            <a href="/error">Broken report</a>
            """),
    ];
}
