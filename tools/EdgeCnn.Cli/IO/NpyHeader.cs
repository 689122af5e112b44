using System.Globalization;

namespace EdgeCnn.Cli.IO;

/// <summary>The dict literal at the start of a .npy file, e.g.
/// <c>{'descr': '&lt;f4', 'fortran_order': False, 'shape': (1, 3, 32, 32), }</c>.
/// Parsed with a small tokenizer rather than string searches so that key order and spacing do not matter.</summary>
internal sealed record NpyHeader(string Descr, bool FortranOrder, int[] Shape)
{
    public static NpyHeader Parse(string text, string source)
    {
        var p = new Parser(text, source);
        string? descr = null;
        bool? fortran = null;
        int[]? shape = null;
        p.Expect('{');
        while (!p.TryTake('}'))
        {
            string key = p.String();
            p.Expect(':');
            switch (key)
            {
                case "descr": descr = p.String(); break;
                case "fortran_order": fortran = p.Bool(); break;
                case "shape": shape = p.Tuple(); break;
                default: throw p.Error($"unknown key '{key}'");
            }
            if (!p.TryTake(',')) { p.Expect('}'); break; }
        }
        return new NpyHeader(
            descr ?? throw p.Error("'descr' is missing"),
            fortran ?? throw p.Error("'fortran_order' is missing"),
            shape ?? throw p.Error("'shape' is missing"));
    }

    private sealed class Parser(string text, string source)
    {
        private int _pos;

        public InputFileException Error(string what) => new(source, $"bad .npy header ({what}): {text.TrimEnd()}");

        private char Peek()
        {
            while (_pos < text.Length && char.IsWhiteSpace(text[_pos])) _pos++;
            return _pos < text.Length ? text[_pos] : '\0';
        }

        public bool TryTake(char c)
        {
            if (Peek() != c) return false;
            _pos++;
            return true;
        }

        public void Expect(char c)
        {
            if (!TryTake(c)) throw Error($"expected '{c}' at offset {_pos}");
        }

        public string String()
        {
            char quote = Peek();
            if (quote is not ('\'' or '"')) throw Error($"expected a quoted string at offset {_pos}");
            int end = text.IndexOf(quote, _pos + 1);
            if (end < 0) throw Error("unterminated string");
            string s = text[(_pos + 1)..end];
            _pos = end + 1;
            return s;
        }

        public bool Bool()
        {
            Peek();
            if (Word("True")) return true;
            if (Word("False")) return false;
            throw Error($"expected True or False at offset {_pos}");
        }

        private bool Word(string w)
        {
            if (string.CompareOrdinal(text, _pos, w, 0, w.Length) != 0) return false;
            _pos += w.Length;
            return true;
        }

        public int[] Tuple()
        {
            Expect('(');
            var dims = new List<int>();
            while (!TryTake(')'))
            {
                Peek();
                int start = _pos;
                while (_pos < text.Length && char.IsAsciiDigit(text[_pos])) _pos++;
                // Python 2 era writers append 'L' to long integers.
                string digits = text[start.._pos];
                if (_pos < text.Length && text[_pos] == 'L') _pos++;
                if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int d))
                    throw Error($"shape entry '{digits}' at offset {start} is not a dimension");
                dims.Add(d);
                if (!TryTake(',')) { Expect(')'); break; }
            }
            return dims.ToArray();
        }
    }
}
