using RpaWorker.Ui;
using Tmds.DBus.Protocol;

namespace RpaWorker.Drivers.Desktop.AtSpi;

// Fingerprints and candidates for self-healing targets (AtSpiFingerprints does the looking), one snapshot per call.
internal sealed partial class AtSpiUiSession
{
    /// <inheritdoc />
    public async Task<UiFingerprint?> FingerprintAsync(UiTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        return await HealingLookAsync<UiFingerprint?>(null, async (snapshot, locator, fingerprints) =>
        {
            var (node, _, _) = await ResolveAsync(snapshot, target, locator).ConfigureAwait(false);
            return node is null ? null : await fingerprints.FingerprintAsync(node, AtSpiFingerprints.KindOf(node)).ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<UiCandidate>> CandidatesAsync(UiElementKind kind, UiLocator like, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(like);
        return await HealingLookAsync<IReadOnlyList<UiCandidate>>([], (_, _, fingerprints) => fingerprints.CandidatesAsync(kind, like)).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs a look for healing over the main window of the current snapshot. With a modal dialog open there is nothing
    /// to heal against (the dialog handler runs first), and objects that go away while they are read leave nothing.
    /// </summary>
    private async Task<T> HealingLookAsync<T>(T none, Func<AtSpiSnapshot, AtSpiLocator, AtSpiFingerprints, Task<T>> look)
    {
        if (_app is null)
        {
            return none;
        }
        try
        {
            var snapshot = await SnapshotAsync(fresh: false).ConfigureAwait(false);
            if (snapshot.ModalDialog is not null || snapshot.MainWindow is not { } window)
            {
                return none;
            }
            var locator = new AtSpiLocator(bus, snapshot, CellsAsync);
            return await look(snapshot, locator, new AtSpiFingerprints(bus, locator, snapshot, window, TableAsync)).ConfigureAwait(false);
        }
        catch (DBusErrorReplyException)
        {
            Invalidate();
            return none;
        }
        catch (DBusConnectionClosedException)
        {
            return none;
        }
    }
}
