using RpaWorker.Vision.Imaging;

namespace RpaWorker.Vision.Ocr;

/// <summary>Reads the words in an image of a screen.</summary>
/// <remarks>Implementations are safe to call from several threads at once.</remarks>
public interface ITextRecognizer
{
    /// <summary>
    /// Recognises the words in <paramref name="image"/> (or in <see cref="OcrRequest.Region"/> of it). Boxes come back
    /// in the coordinates of <paramref name="image"/>, whatever scaling the preprocessing applied.
    /// </summary>
    /// <exception cref="OperationCanceledException">Cancelled before or during recognition.</exception>
    /// <exception cref="OcrUnavailableException">The OCR engine or its model cannot be loaded.</exception>
    Task<OcrResult> RecognizeAsync(ScreenImage image, OcrRequest request, CancellationToken cancellationToken);
}

/// <summary>How the recognizer should look at the image.</summary>
public enum OcrLayout
{
    /// <summary>Text scattered anywhere, in no particular order: labels, cells and buttons of a screen.</summary>
    Sparse,
    /// <summary>Full page layout analysis: columns and paragraphs.</summary>
    Page,
    /// <summary>One uniform block of text.</summary>
    Block,
    /// <summary>A single line of text (a field's value).</summary>
    Line,
}

/// <summary>What is done to an image before recognition. Measured in docs/benchmarks.md (Pixel driver).</summary>
public sealed record OcrPreprocessing
{
    /// <summary>The preprocessing the pixel driver uses: 2x bilinear upscale of the greyscale image.</summary>
    public static OcrPreprocessing Default { get; } = new();

    /// <summary>Whole-number enlargement before recognition. Default 2: screen fonts are 9-12 px, below what the model was trained on.</summary>
    public int Scale { get; init; } = 2;

    /// <summary>How the enlargement interpolates. Default <see cref="ScaleFilter.Bilinear"/>.</summary>
    public ScaleFilter Filter { get; init; } = ScaleFilter.Bilinear;

    /// <summary>Convert to greyscale first. Default true. False hands Tesseract the colour image.</summary>
    public bool Grayscale { get; init; } = true;

    /// <summary>Threshold to black and white (Otsu) after scaling. Default false: Tesseract thresholds on its own.</summary>
    public bool Binarize { get; init; }

    /// <summary>A short description for benchmark tables, e.g. "2x bilinear grey".</summary>
    public override string ToString() =>
        $"{Scale}x{(Scale > 1 ? " " + Filter.ToString().ToLowerInvariant() : "")} {(Grayscale ? "grey" : "colour")}{(Binarize ? " binarized" : "")}";
}

/// <summary>One recognition request.</summary>
public sealed record OcrRequest
{
    /// <summary>A request for the whole image with the recognizer's defaults.</summary>
    public static OcrRequest Screen { get; } = new();

    /// <summary>Only this part of the image (a window crop or a field). Default null: the whole image.</summary>
    public PixelRect? Region { get; init; }

    /// <summary>How the text is laid out. Default <see cref="OcrLayout.Sparse"/>.</summary>
    public OcrLayout Layout { get; init; } = OcrLayout.Sparse;

    /// <summary>Preprocessing; default null uses the recognizer's (see <see cref="OcrPreprocessing.Default"/>).</summary>
    public OcrPreprocessing? Preprocessing { get; init; }

    /// <summary>
    /// Only these characters may be recognised (e.g. digits for a record number). Default null: any.
    /// A value outside the set then reads as its nearest allowed look-alike, with a lower confidence.
    /// </summary>
    public string? AllowedCharacters { get; init; }
}

/// <summary>A recognised word.</summary>
/// <param name="Text">Its text. It may be PHI: match on it, never log it.</param>
/// <param name="Box">Its bounding box in the coordinates of the image given to the recognizer.</param>
/// <param name="Confidence">The recognizer's confidence, 0 to 1.</param>
/// <param name="Line">The recognizer's text line, numbered from 0 in reading order; words of one line share it.</param>
public sealed record OcrWord(string Text, PixelRect Box, double Confidence, int Line);

/// <summary>The words found in an image.</summary>
/// <param name="Words">In the recognizer's reading order.</param>
/// <param name="Elapsed">Time spent preparing the image and recognising it (not waiting for an engine).</param>
public sealed record OcrResult(IReadOnlyList<OcrWord> Words, TimeSpan Elapsed)
{
    /// <summary>The words, a line of text per recognizer line. It may be PHI: never log it.</summary>
    public string Text => string.Join('\n', Words.GroupBy(w => w.Line).Select(g => string.Join(' ', g.Select(w => w.Text))));
}

/// <summary>The OCR engine or its language model could not be loaded: a broken installation, not a screen problem.</summary>
public sealed class OcrUnavailableException : RpaWorkerException
{
    /// <summary>Creates the exception with a message that says what to install or configure.</summary>
    public OcrUnavailableException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public OcrUnavailableException(string message, Exception innerException) : base(message, innerException) { }
}
