using System.Globalization;
using EdgeCnn.Cli.IO;

namespace EdgeCnn.Cli.Datasets;

/// <summary>
/// Which model output each data-set class is, and what each output is called.
/// Idx classes are output indices. Folder classes: with a labels file, the output whose line equals the folder
/// name. Without one, when every folder name is a non-negative integer: the numbers themselves if all are below
/// the model's output count, else their rank in numeric order (folders 0 and 180 → outputs 0 and 1). Otherwise
/// the folders' position in ordinal (byte-wise) name order.
/// </summary>
internal sealed class ClassMapping
{
    private readonly int[] _outputOfClass;
    private readonly string[] _outputNames;

    private ClassMapping(int[] outputOfClass, string[] outputNames, string rule)
    {
        _outputOfClass = outputOfClass;
        _outputNames = outputNames;
        Rule = rule;
    }

    /// <summary>How classes were matched to outputs, for the report.</summary>
    public string Rule { get; }

    public int OutputCount => _outputNames.Length;

    public int OutputOf(int datasetClass) => _outputOfClass[datasetClass];

    public string NameOf(int output) => _outputNames[output];

    public static ClassMapping Create(LabeledDataset dataset, string[]? labels, string? labelsPath, int outputCount)
    {
        var names = dataset.ClassNames;
        var outputs = new int[names.Count];
        string rule;
        if (dataset.ClassesAreOutputIndices)
        {
            for (int c = 0; c < names.Count; c++) outputs[c] = int.Parse(names[c], NumberStyles.None, CultureInfo.InvariantCulture);
            rule = "idx label = output index";
        }
        else if (labels is not null)
        {
            var lineOf = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int i = labels.Length - 1; i >= 0; i--) lineOf[labels[i].Trim()] = i;
            for (int c = 0; c < names.Count; c++)
            {
                if (!lineOf.TryGetValue(names[c], out outputs[c]))
                    throw new InputFileException(labelsPath ?? "--labels", $"has no line '{names[c]}' for the class folder '{Path.Combine(dataset.Source, names[c])}'");
            }
            rule = "folder name = line of the labels file";
        }
        else if (names.All(IsIndex))
        {
            var numbers = names.Select(n => int.Parse(n, NumberStyles.None, CultureInfo.InvariantCulture)).ToArray();
            if (numbers.All(n => n < outputCount))
            {
                numbers.CopyTo(outputs, 0);
                rule = "folder name = output index";
            }
            else
            {
                // Names such as 0/180 (degrees) are values, not indices: rank them.
                var order = numbers.Order().ToList();
                for (int c = 0; c < names.Count; c++) outputs[c] = order.IndexOf(numbers[c]);
                rule = $"output index = rank of the folder number (the numbers exceed the model's {outputCount} outputs)";
            }
        }
        else
        {
            for (int c = 0; c < names.Count; c++) outputs[c] = c;
            rule = "output index = position of the folder name in ordinal order";
        }

        for (int c = 0; c < names.Count; c++)
        {
            if (outputs[c] >= outputCount)
            {
                string what = dataset.ClassesAreOutputIndices ? $"label {names[c]}" : $"class folder '{Path.Combine(dataset.Source, names[c])}'";
                throw new InputFileException(dataset.Source, $"{what} maps to output {outputs[c]} ({rule}), but the model has {outputCount} outputs");
            }
        }
        var duplicate = outputs.GroupBy(o => o).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            var folders = outputs.Select((o, c) => (o, c)).Where(x => x.o == duplicate.Key).Select(x => $"'{names[x.c]}'");
            throw new InputFileException(dataset.Source, $"classes {string.Join(" and ", folders)} both map to output {duplicate.Key} ({rule})");
        }

        var outputNames = new string[outputCount];
        for (int o = 0; o < outputCount; o++)
            outputNames[o] = labels is not null && o < labels.Length ? labels[o] : o.ToString(CultureInfo.InvariantCulture);
        if (labels is null)
            for (int c = 0; c < names.Count; c++) outputNames[outputs[c]] = names[c];
        return new ClassMapping(outputs, outputNames, rule);
    }

    /// <summary>Plain decimal digits without a sign or redundant leading zeros ("007" stays a name).</summary>
    private static bool IsIndex(string name) =>
        name.Length is > 0 and <= 9 && name.All(char.IsAsciiDigit) && (name.Length == 1 || name[0] != '0');
}
