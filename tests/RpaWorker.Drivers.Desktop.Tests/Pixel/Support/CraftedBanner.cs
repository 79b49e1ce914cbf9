using System.Text;

namespace RpaWorker.Drivers.Desktop.Tests.Pixel.Support;

/// <summary>
/// A page drawn like the mock EHR's chart banner but holding a value the mock would never show: a record number with a
/// letter in it, as an OCR misread or a keying error would produce. Chromium opens it from a data: address.
/// </summary>
public static class CraftedBanner
{
    public const string BadMrn = "52A9333";
    public const string Dob = "04/29/1947";
    public const string Title = "MedWeb Classic 4.2 - Crafted banner";

    public static Uri Address { get; } = new("data:text/html;base64," + Convert.ToBase64String(Encoding.UTF8.GetBytes($"""
        <html><head><title>{Title}</title></head>
        <body bgcolor="#FFFFFF" style="font-family:Arial,Helvetica,sans-serif;font-size:12px;margin:8px">
        <table width="100%" border="1" cellspacing="0" cellpadding="3" bgcolor="#FFFFCC" bordercolor="#999966">
        <tr><td>Patient:</td><td><b><font size="3">RIVERA, ANNA A</font></b></td>
        <td>MRN:</td><td><b>{BadMrn}</b></td>
        <td>DOB:</td><td>{Dob}</td>
        <td>Sex:</td><td>Female</td></tr>
        </table>
        </body></html>
        """)));
}
