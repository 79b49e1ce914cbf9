using System.Text.Json;
using Microsoft.Playwright;
using RpaWorker.Ui;

namespace RpaWorker.Drivers.Web;

// Fingerprints and candidates for self-healing targets (Fingerprints.js does the looking).
internal sealed partial class WebUiSession
{
    private static readonly string FingerprintScript = $"(el, kind) => ({PageScripts.Fingerprints}).fingerprint(el, kind)";
    private static readonly string CandidatesScript = $"kind => ({PageScripts.Fingerprints}).candidates(kind)";

    public async Task<UiFingerprint?> FingerprintAsync(UiTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (_gone || _dialog is not null)
        {
            return null;
        }
        try
        {
            var round = await GuardAsync(TargetResolver.LookAsync(_page, target), cancellationToken);
            if (round.Resolved is not { } resolved)
            {
                return null;
            }
            var json = await GuardAsync(resolved.Element.EvaluateAsync<JsonElement>(FingerprintScript, null), cancellationToken);
            return ReadFingerprint(json);
        }
        catch (Exception e) when (e is DialogOpenedException or PlaywrightException or TimeoutException)
        {
            return null;
        }
    }

    public async Task<IReadOnlyList<UiCandidate>> CandidatesAsync(UiElementKind kind, UiLocator like, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(like);
        var found = new List<UiCandidate>();
        if (_gone || _dialog is not null)
        {
            return found;
        }
        foreach (var frame in _page.Frames)
        {
            // A locator names a child frame by a selector of its iframe: frames without a name cannot be written down.
            string? frameSelector = null;
            if (frame != _page.MainFrame)
            {
                if (frame.IsDetached || string.IsNullOrEmpty(frame.Name))
                {
                    continue;
                }
                frameSelector = $"iframe[name=\"{frame.Name}\"]";
            }
            try
            {
                var json = await GuardAsync(frame.EvaluateAsync<JsonElement>(CandidatesScript, kind.ToString()), cancellationToken);
                foreach (var item in json.EnumerateArray())
                {
                    var loc = item.GetProperty("loc");
                    if (!Enum.TryParse<LocatorKind>(loc.GetProperty("kind").GetString(), out var locatorKind))
                    {
                        continue;
                    }
                    var name = loc.TryGetProperty("name", out var n) ? n.GetString() : null;
                    found.Add(new UiCandidate(ReadFingerprint(item.GetProperty("fp")),
                        new UiLocator(locatorKind, loc.GetProperty("value").GetString() ?? "", name, Frame: frameSelector)));
                }
            }
            catch (DialogOpenedException)
            {
                return [];
            }
            catch (PlaywrightException)
            {
                // A frame that is detaching or navigating has no candidates yet.
            }
        }
        return found;
    }

    private static UiFingerprint ReadFingerprint(JsonElement json) => new()
    {
        Kind = Enum.TryParse<UiElementKind>(json.GetProperty("kind").GetString(), out var kind) ? kind : UiElementKind.Value,
        Role = json.GetProperty("role").GetString() ?? "",
        Label = json.GetProperty("label").GetString() ?? "",
        Nearby = Strings(json.GetProperty("nearby")),
        Attributes = json.GetProperty("attributes").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "", StringComparer.Ordinal),
        Path = json.GetProperty("path").GetString() ?? "",
        X = json.GetProperty("x").GetDouble(),
        Y = json.GetProperty("y").GetDouble(),
        Headers = Strings(json.GetProperty("headers")),
    };

    private static List<string> Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString() ?? "").ToList();
}
