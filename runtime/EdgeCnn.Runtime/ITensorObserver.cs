using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime;

/// <summary>Sees every tensor an op produces, right after the op ran (calibration, debugging).
/// The span is only valid during the call.</summary>
public interface ITensorObserver
{
    void OnTensor(int tensorIndex, TensorInfo info, ReadOnlySpan<byte> data);
}
