using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace EdgeCnn.Runtime.Kernels;

/// <summary>
/// The per-channel constants of a <see cref="Qs8Requantization"/> laid out for the vector output stages
/// (Qs8RequantizeVector128, Qs8RequantizeAvx2, Qs8RequantizeAdvSimd), so a kernel whose vector lanes are output
/// channels loads them with plain vector loads. Every array holds <see cref="Padding"/> entries past the last
/// channel (multiplier 0: the lane yields the clamped zero point), so a vector of up to 16 lanes starting at any
/// channel below <see cref="Channels"/> stays inside the array. Built once at Prepare.
/// </summary>
public sealed class Qs8RequantizeLanes
{
    /// <summary>Lanes readable past the last channel.</summary>
    public const int Padding = 16;

    public Qs8RequantizeLanes(Qs8Requantization output)
    {
        Channels = output.Multipliers.Length;
        ZeroPoint = output.ZeroPoint;
        int length = Channels + Padding;
        Multiplier = new int[length];
        NextMultiplier = new int[length];
        LeftShift = new int[length];
        RightShift = new int[length];
        NegatedRightShift = new int[length];
        RemainderMask = new int[length];
        RoundingThreshold = new int[length];
        Low = new int[length];
        High = new int[length];
        LeftPower = new long[length];
        RoundingHalf = new long[length];
        RightScale = new long[length];
        // The reference clamps zp + v (in 64-bit) to [Min, Max]; clamping v to [Min − zp, Max − zp] first gives the
        // same result and lets the vector code add the zero point in 32-bit without overflow. Bounds outside the int32
        // range change nothing for an int32 v, so they are cut to it.
        int low = (int)Math.Clamp((long)output.Min - ZeroPoint, int.MinValue, int.MaxValue);
        int high = (int)Math.Clamp((long)output.Max - ZeroPoint, int.MinValue, int.MaxValue);
        for (int c = 0; c < length; c++)
        {
            int shift = c < Channels ? output.Shifts[c] : 0;
            if (shift < -Quantization.FixedPoint.MaxShift || shift > Quantization.FixedPoint.MaxShift)
                throw new ArgumentOutOfRangeException(nameof(output), shift, $"channel {c}: a quantized multiplier's shift lies in -31..31");
            int left = Math.Max(shift, 0), right = Math.Max(-shift, 0);
            Multiplier[c] = c < Channels ? output.Multipliers[c] : 0;
            LeftShift[c] = left;
            RightShift[c] = right;
            NegatedRightShift[c] = -right;
            RemainderMask[c] = (int)((1L << right) - 1);
            RoundingThreshold[c] = RemainderMask[c] >> 1;
            HasLeftShift |= left > 0;
            HasMinMultiplier |= Multiplier[c] == int.MinValue;
            Low[c] = low;
            High[c] = high;
            LeftPower[c] = 1L << left;
            RoundingHalf[c] = right == 0 ? 0 : 1L << (right - 1);
            RightScale[c] = 1L << (32 - right);
        }
        for (int c = 0; c + 1 < length; c++) NextMultiplier[c] = Multiplier[c + 1];
        Min = output.Min;
        Max = output.Max;
        ClampsInInt16 = ZeroPoint >= sbyte.MinValue && ZeroPoint <= sbyte.MaxValue && Min <= Max;
    }

    /// <summary>Output channels (without the padding).</summary>
    public int Channels { get; }

    /// <summary>The output zero point, added after the clamp.</summary>
    public int ZeroPoint { get; }

    /// <summary>The Q31 mantissa M[c].</summary>
    public int[] Multiplier { get; }

    /// <summary>M[c + 1] (0 for the last lane): x86's 32×32→64 multiply (VPMULDQ) reads the even lanes, so the odd
    /// lanes' multipliers are kept one lane down as well.</summary>
    public int[] NextMultiplier { get; }

    /// <summary>Whether any channel has a left shift (a real multiplier ≥ 1); most layers have none, and the vector
    /// stages skip that step then.</summary>
    public bool HasLeftShift { get; }

    /// <summary>The output bounds (int8 codes, zero point included).</summary>
    public int Min { get; }

    public int Max { get; }

    /// <summary>Whether the zero point is an int8 code and Min ≤ Max: then adding the zero point and clamping can run on
    /// int16 after a saturating pack (a value outside int16 lies outside [Min, Max] either way) instead of on int32.</summary>
    public bool ClampsInInt16 { get; }

    /// <summary>Whether any channel's multiplier is −2³¹, the only one whose high multiplication can overflow (by
    /// −2³¹ · −2³¹); quantizers produce positive multipliers, and the vector stages skip that fix-up without one.</summary>
    public bool HasMinMultiplier { get; }

    /// <summary>max(shift, 0): the saturating left shift applied before the high multiplication.</summary>
    public int[] LeftShift { get; }

    /// <summary>max(−shift, 0): the rounding right shift applied after it.</summary>
    public int[] RightShift { get; }

    /// <summary>−RightShift, the count ARM's rounding shift (SRSHL) takes for a right shift.</summary>
    public int[] NegatedRightShift { get; }

    /// <summary>2^RightShift − 1: the bits a right shift drops.</summary>
    public int[] RemainderMask { get; }

    /// <summary>RemainderMask / 2: a dropped remainder above it (above it + 1 for negative values) rounds up.</summary>
    public int[] RoundingThreshold { get; }

    /// <summary>Min − zero point (cut to int32): the lower clamp before the zero point is added.</summary>
    public int[] Low { get; }

    /// <summary>Max − zero point (cut to int32): the upper clamp before the zero point is added.</summary>
    public int[] High { get; }

    /// <summary>2^LeftShift, for code without per-lane shifts (the portable stage multiplies instead).</summary>
    public long[] LeftPower { get; }

    /// <summary>2^(RightShift − 1), or 0 without a right shift: the rounding offset of the portable stage.</summary>
    public long[] RoundingHalf { get; }

    /// <summary>2^(32 − RightShift): the portable stage shifts right by multiplying and keeping the high word.</summary>
    public long[] RightScale { get; }

    internal static ref T At<T>(T[] lanes, int channel) =>
        ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(lanes), (nint)(uint)channel);
}
