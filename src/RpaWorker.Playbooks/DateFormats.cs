namespace RpaWorker.Playbooks;

/// <summary>Date formats as playbooks write them.</summary>
public static class DateFormats
{
    /// <summary>
    /// A playbook date format as a .NET custom format: .NET's letters (MM, dd, yyyy, MMM, HH, mm), with <c>''</c>
    /// standing for a literal apostrophe as in Java and ICU patterns (<c>MMM d ''yy</c> reads <c>Mar 5 '19</c>),
    /// which .NET would otherwise read as an empty quoted literal.
    /// </summary>
    public static string ToDotNet(string format) => format.Replace("''", "\\'", StringComparison.Ordinal);
}
