using System.Globalization;
using EdgeCnn.Hardware.Gpio;

namespace EdgeCnn.Hardware.Pipeline;

/// <summary>
/// Parses --trigger values: "gpio:17:rising:50ms", "gpio:17:both:20ms:pull-up", "gpio:chip4:17:falling",
/// "interval:1s", "interval:250ms", "manual". Case-insensitive. After a gpio pin the edge, debounce window and pull
/// mode may come in any order, each at most once; omitted ones default to rising, 50 ms and pull-none.
/// </summary>
public static class TriggerSpecParser
{
    /// <exception cref="TriggerSpecException">The spec names an unknown kind or has a bad or duplicated field.</exception>
    public static TriggerSpec Parse(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        string text = spec.Trim();
        if (text.Length == 0)
        {
            throw new TriggerSpecException(spec, "kind", "the spec is empty");
        }

        string[] fields = text.Split(':');
        return fields[0].ToLowerInvariant() switch
        {
            "gpio" => ParseGpio(text, fields),
            "interval" => ParseInterval(text, fields),
            "manual" when fields.Length == 1 => new ManualTriggerSpec(text),
            "manual" => throw new TriggerSpecException(text, string.Join(':', fields[1..]), "manual takes no options"),
            _ => throw new TriggerSpecException(text, "kind", $"'{fields[0]}' is not a trigger kind (gpio, interval or manual)"),
        };
    }

    /// <summary>Parses and builds the trigger in one step.</summary>
    public static ITrigger Create(string spec, TriggerEnvironment? environment = null) =>
        Parse(spec).CreateTrigger(environment ?? new TriggerEnvironment());

    private static IntervalTriggerSpec ParseInterval(string text, string[] fields)
    {
        if (fields.Length != 2 || fields[1].Length == 0)
        {
            throw new TriggerSpecException(text, "interval", "give exactly one period, e.g. interval:1s or interval:250ms");
        }

        TimeSpan period = DurationText.TryParse(fields[1], out string problem)
            ?? throw new TriggerSpecException(text, "interval", problem);
        if (period < TimeSpan.FromMilliseconds(1))
        {
            throw new TriggerSpecException(text, "interval", $"'{fields[1]}' is shorter than 1 ms");
        }

        return new IntervalTriggerSpec(text, period);
    }

    private static GpioTriggerSpec ParseGpio(string text, string[] fields)
    {
        int next = 1;
        int? chip = null;
        if (fields.Length > next && TryChipNumber(fields[next], out string? chipDigits))
        {
            chip = ParseNumber(text, "chip", chipDigits, fields[next]);
            next++;
        }

        if (fields.Length <= next || fields[next].Length == 0)
        {
            throw new TriggerSpecException(text, "pin", "the pin number is missing (BCM numbering on a Raspberry Pi, e.g. gpio:17)");
        }

        int pin = ParseNumber(text, "pin", fields[next], fields[next]);
        next++;

        GpioEdge? edge = null;
        GpioPull? pull = null;
        TimeSpan? debounce = null;
        for (; next < fields.Length; next++)
        {
            string field = fields[next];
            string lower = field.ToLowerInvariant();
            switch (lower)
            {
                case "rising" or "falling" or "both":
                    edge = edge is null ? ParseEdge(lower) : throw Twice(text, "edge", field);
                    break;
                case "pull-up" or "pull-down" or "pull-none":
                    pull = pull is null ? ParsePull(lower) : throw Twice(text, "pull", field);
                    break;
                default:
                    if (!DurationText.LooksLikeDuration(field))
                    {
                        throw new TriggerSpecException(text, field.Length == 0 ? "(empty field)" : field,
                            "not an edge (rising, falling, both), a debounce window (e.g. 50ms) or a pull mode (pull-up, pull-down, pull-none)");
                    }

                    TimeSpan window = DurationText.TryParse(field, out string problem)
                        ?? throw new TriggerSpecException(text, "debounce", problem);
                    debounce = debounce is null ? window : throw Twice(text, "debounce", field);
                    break;
            }
        }

        return new GpioTriggerSpec(text, chip, pin, edge ?? GpioEdge.Rising, pull ?? GpioPull.None, debounce ?? GpioTriggerOptions.DefaultDebounce);
    }

    /// <summary>"chip4" or "gpiochip4" (the device file's name) select the chip; a bare number is the pin.</summary>
    private static bool TryChipNumber(string field, out string? digits)
    {
        foreach (string prefix in (ReadOnlySpan<string>)["gpiochip", "chip"])
        {
            if (field.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                digits = field[prefix.Length..];
                return true;
            }
        }

        digits = null;
        return false;
    }

    private static int ParseNumber(string text, string fieldName, string? digits, string field)
    {
        if (string.IsNullOrEmpty(digits) || !int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int value))
        {
            throw new TriggerSpecException(text, fieldName, $"'{field}' is not a {fieldName} number (a non-negative integer)");
        }

        return value;
    }

    private static GpioEdge ParseEdge(string lower) => lower switch
    {
        "rising" => GpioEdge.Rising,
        "falling" => GpioEdge.Falling,
        _ => GpioEdge.Both,
    };

    private static GpioPull ParsePull(string lower) => lower switch
    {
        "pull-up" => GpioPull.Up,
        "pull-down" => GpioPull.Down,
        _ => GpioPull.None,
    };

    private static TriggerSpecException Twice(string text, string fieldName, string field) =>
        new(text, fieldName, $"'{field}' repeats the {fieldName}, which may be given only once");
}
