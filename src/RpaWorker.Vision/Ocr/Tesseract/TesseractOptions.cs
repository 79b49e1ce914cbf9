namespace RpaWorker.Vision.Ocr.Tesseract;

/// <summary>Where Tesseract's model is and how many engines may run at once.</summary>
public sealed record TesseractOptions
{
    /// <summary>Where Debian's tesseract-ocr-eng package puts the models.</summary>
    public const string DebianDataPath = "/usr/share/tesseract-ocr/5/tessdata";

    /// <summary>
    /// The folder holding <c>{Language}.traineddata</c>. Default: the TESSDATA_PREFIX environment variable when set,
    /// else <see cref="DebianDataPath"/>.
    /// </summary>
    public string DataPath { get; init; } = Environment.GetEnvironmentVariable("TESSDATA_PREFIX") is { Length: > 0 } prefix ? prefix : DebianDataPath;

    /// <summary>The model's language code. Default "eng".</summary>
    public string Language { get; init; } = "eng";

    /// <summary>
    /// At most this many engines (each a loaded copy of the model, about 40 MB) recognise at once; more callers wait.
    /// Default: the number of processors. Each engine uses one core when OMP_THREAD_LIMIT=1.
    /// </summary>
    public int MaxEngines { get; init; } = Environment.ProcessorCount;

    /// <summary>Preprocessing for requests that do not choose their own. Default <see cref="OcrPreprocessing.Default"/>.</summary>
    public OcrPreprocessing Preprocessing { get; init; } = OcrPreprocessing.Default;

    /// <summary>The resolution the screen is drawn at, in pixels per inch, before scaling. Default 96.</summary>
    public int ScreenPpi { get; init; } = 96;
}
