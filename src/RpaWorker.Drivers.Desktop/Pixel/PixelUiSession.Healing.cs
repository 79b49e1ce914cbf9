using RpaWorker.Drivers.Desktop.Pixel.Reading;
using RpaWorker.Ui;

namespace RpaWorker.Drivers.Desktop.Pixel;

// Fingerprints and candidates for self-healing targets (PixelFingerprints does the looking), over the window's current
// reading: a screen that has not changed since the last step costs no OCR.
internal sealed partial class PixelUiSession
{
    /// <inheritdoc />
    public async Task<UiFingerprint?> FingerprintAsync(UiTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var (screen, _) = await ScreenAsync(cancellationToken);
        if (screen is null)
        {
            return null;
        }
        var prints = new PixelFingerprints(screen);
        return target.Locators.Select(prints.Of).FirstOrDefault(p => p is not null);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<UiCandidate>> CandidatesAsync(UiElementKind kind, UiLocator like, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(like);
        var (screen, _) = await ScreenAsync(cancellationToken);
        return screen is null ? [] : new PixelFingerprints(screen).Candidates(kind, like);
    }
}
