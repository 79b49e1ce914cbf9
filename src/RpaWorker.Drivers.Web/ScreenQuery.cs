using System.Text.Json;

namespace RpaWorker.Drivers.Web;

/// <summary>The "rpaworker" selector engine (ScreenQueries.js): text, label cells, right-of, below and heading queries.</summary>
internal static class ScreenQuery
{
    public const string Engine = "rpaworker";

    public static string Script { get; } = PageScripts.Resource("RpaWorker.Drivers.Web.ScreenQueries.js");

    /// <summary>
    /// A Playwright selector for the engine. The query travels URI-encoded so that quotes and "&gt;&gt;" in playbook
    /// text cannot break Playwright's selector syntax.
    /// </summary>
    public static string Selector(string kind, string value, bool exact) =>
        Engine + "=" + Uri.EscapeDataString(JsonSerializer.Serialize(new Query(kind, value, exact)));

    // Short names keep selectors (which appear in Playwright's own logs) small.
    private sealed record Query(
        [property: System.Text.Json.Serialization.JsonPropertyName("k")] string Kind,
        [property: System.Text.Json.Serialization.JsonPropertyName("v")] string Value,
        [property: System.Text.Json.Serialization.JsonPropertyName("x")] bool Exact);
}
