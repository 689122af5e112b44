namespace EdgeCnn.Compiler.Calibration;

/// <summary>Calibration cannot proceed: no samples, a sample that does not fit the model's inputs, or an
/// activation that became NaN or infinite. The message names the sample and tensor.</summary>
public class CalibrationException : Exception
{
    public CalibrationException(string message) : base(message) { }
    public CalibrationException(string message, Exception inner) : base(message, inner) { }
}
