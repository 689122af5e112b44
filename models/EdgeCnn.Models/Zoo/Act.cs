namespace EdgeCnn.Models.Zoo;

/// <summary>The activation after a conv unit.</summary>
public enum Act
{
    None,
    Relu,
    Relu6,
    /// <summary>The ONNX HardSwish operator.</summary>
    HardSwish,
    /// <summary>Hard-swish written out as x·Clip(x+3, 0, 6)/6, the way exporters without the operator emit it.</summary>
    HardSwishPattern,
}
