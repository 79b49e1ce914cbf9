using System.Text;

namespace RpaWorker.Drivers.Desktop.Tests.Pixel.Support;

/// <summary>A legacy-style form with a drop-down list that writes what was chosen under it. Chromium opens it from a data: address.</summary>
public static class CraftedForm
{
    public const string Title = "MedWeb Classic 4.2 - Crafted form";

    public static Uri Address { get; } = new("data:text/html;base64," + Convert.ToBase64String(Encoding.UTF8.GetBytes($"""
        <html><head><title>{Title}</title></head>
        <body bgcolor="#FFFFFF" style="font-family:Arial,Helvetica,sans-serif;font-size:12px;margin:8px">
        <table border="0" cellpadding="3"><tr><td>Clinic:</td><td>
        <select style="font-size:13px" onchange="document.getElementById('chosen').textContent = 'Chosen: ' + this.value">
        <option>North Clinic</option><option>South Clinic</option><option>West Clinic</option></select>
        </td></tr></table>
        <p id="chosen">Nothing chosen</p>
        </body></html>
        """)));
}
