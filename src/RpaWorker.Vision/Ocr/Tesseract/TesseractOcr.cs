using System.Collections.Concurrent;

namespace RpaWorker.Vision.Ocr.Tesseract;

/// <summary>
/// Tesseract OCR through Debian's libtesseract5. The model is loaded once per engine and engines are pooled for the
/// life of the process (<see cref="Shared"/>), because loading it takes far longer than recognising a screen.
/// </summary>
/// <remarks>
/// libtesseract runs its neural network on OpenMP threads. With several engines working at once on a small machine
/// those threads fight for the cores, so the process must start with <c>OMP_THREAD_LIMIT=1</c> (OpenMP reads it when
/// the library loads; setting it from inside the process is too late). <see cref="ThreadLimitWarning"/> says when it is not.
/// </remarks>
public static class TesseractOcr
{
    private static readonly ConcurrentDictionary<(string DataPath, string Language), Lazy<TesseractRecognizer>> Pools = new();

    /// <summary>
    /// The process-wide recognizer for the options' model (data path and language): the first call for a model creates
    /// its pool with these options; later calls get the same pool.
    /// </summary>
    public static ITextRecognizer Shared(TesseractOptions? options = null) => SharedPool(options ?? new TesseractOptions());

    internal static TesseractRecognizer SharedPool(TesseractOptions options) =>
        Pools.GetOrAdd((Path.GetFullPath(options.DataPath), options.Language),
            _ => new Lazy<TesseractRecognizer>(() => new TesseractRecognizer(options))).Value;

    /// <summary>A warning to log when OMP_THREAD_LIMIT is not 1 in this process's environment; null when it is.</summary>
    public static string? ThreadLimitWarning =>
        Environment.GetEnvironmentVariable("OMP_THREAD_LIMIT") == "1"
            ? null
            : "OMP_THREAD_LIMIT is not 1: Tesseract's OpenMP threads will compete for the cores and OCR gets slower under load. " +
              "Start the process with OMP_THREAD_LIMIT=1 in its environment.";
}
