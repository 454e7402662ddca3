package classify

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
)

// File layout (all integers little-endian):
//
//	magic   "HYCLSMDL"
//	version uint32 (FormatVersion)
//	hlen    uint32, then hlen bytes of JSON header (fileHeader)
//	idf     2^Bits uint16 on the grid lo + q·step   (tfidf models only)
//	weights 2^Bits·K int8 (one scale per class) or float32, bucket-major
//	crc     uint32 CRC-32 (IEEE) of everything before it
const (
	fileMagic = "HYCLSMDL"
	// FormatVersion is the model file version this package writes. Load
	// refuses files of other versions.
	FormatVersion = 1
)

type fileHeader struct {
	Labels      []string      `json:"labels"`
	Features    featureConfig `json:"features"`
	Temperature float64       `json:"temperature"`
	Bias        []float32     `json:"bias"`
	WeightCodec string        `json:"weight_codec"` // "int8" or "float32"
	Scales      []float32     `json:"scales,omitempty"`
	IDFLo       float32       `json:"idf_lo,omitempty"`
	IDFStep     float32       `json:"idf_step,omitempty"`
	Info        TrainInfo     `json:"info"`
}

// ErrFormat is returned (wrapped) by Load for input that is not a model
// file this version can read.
var ErrFormat = errors.New("classify: not a model file of a supported version")

// Save writes the model in the versioned binary format.
func (m *Model) Save(w io.Writer) error {
	h := fileHeader{Labels: m.labels, Features: m.fc, Temperature: m.temp, Bias: m.bias, Info: m.info, WeightCodec: "float32"}
	if m.q != nil {
		h.WeightCodec = "int8"
		h.Scales = m.scales
	}
	if m.idf != nil {
		h.IDFLo, h.IDFStep = m.idfLo, m.idfStep
	}
	hj, err := json.Marshal(h)
	if err != nil {
		return fmt.Errorf("classify: encode header: %w", err)
	}
	var buf bytes.Buffer
	buf.WriteString(fileMagic)
	buf.Write(binary.LittleEndian.AppendUint32(nil, FormatVersion))
	buf.Write(binary.LittleEndian.AppendUint32(nil, uint32(len(hj))))
	buf.Write(hj)
	if m.idf != nil {
		b := make([]byte, 2*len(m.idf))
		for j, x := range m.idf {
			q := math.Round(float64((x - h.IDFLo) / h.IDFStep))
			binary.LittleEndian.PutUint16(b[2*j:], uint16(min(max(q, 0), 65535)))
		}
		buf.Write(b)
	}
	if h.WeightCodec == "int8" {
		b := make([]byte, len(m.q))
		for i, q := range m.q {
			b[i] = byte(q)
		}
		buf.Write(b)
	} else {
		b := make([]byte, 4*len(m.w))
		for i, x := range m.w {
			binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(x))
		}
		buf.Write(b)
	}
	buf.Write(binary.LittleEndian.AppendUint32(nil, crc32.ChecksumIEEE(buf.Bytes())))
	_, err = w.Write(buf.Bytes())
	return err
}

// Load reads a model written by Save.
func Load(r io.Reader) (*Model, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("classify: read model: %w", err)
	}
	if len(data) < len(fileMagic)+12 || string(data[:len(fileMagic)]) != fileMagic {
		return nil, fmt.Errorf("%w: bad magic", ErrFormat)
	}
	if v := binary.LittleEndian.Uint32(data[8:]); v != FormatVersion {
		return nil, fmt.Errorf("%w: version %d, want %d", ErrFormat, v, FormatVersion)
	}
	body, sum := data[:len(data)-4], binary.LittleEndian.Uint32(data[len(data)-4:])
	if crc32.ChecksumIEEE(body) != sum {
		return nil, fmt.Errorf("%w: checksum mismatch (file damaged or truncated)", ErrFormat)
	}
	hlen := int(binary.LittleEndian.Uint32(data[12:]))
	p := data[16 : len(data)-4]
	if hlen > len(p) {
		return nil, fmt.Errorf("%w: header length %d", ErrFormat, hlen)
	}
	var h fileHeader
	if err := json.Unmarshal(p[:hlen], &h); err != nil {
		return nil, fmt.Errorf("%w: header: %v", ErrFormat, err)
	}
	p = p[hlen:]
	K := len(h.Labels)
	fc := h.Features
	if K < 2 || len(h.Bias) != K || fc.Bits < 8 || fc.Bits > 24 || fc.MinN < 1 || fc.MaxN < fc.MinN {
		return nil, fmt.Errorf("%w: inconsistent header", ErrFormat)
	}
	dim := 1 << fc.Bits
	m := &Model{labels: h.Labels, fc: fc, bias: h.Bias, temp: h.Temperature, info: h.Info, idfLo: h.IDFLo, idfStep: h.IDFStep}
	if m.temp <= 0 || math.IsNaN(m.temp) {
		return nil, fmt.Errorf("%w: temperature %v", ErrFormat, m.temp)
	}
	if fc.Weighting == "tfidf" {
		if len(p) < 2*dim {
			return nil, fmt.Errorf("%w: idf table truncated", ErrFormat)
		}
		m.idf = make([]float32, dim)
		for j := range m.idf {
			m.idf[j] = h.IDFLo + float32(binary.LittleEndian.Uint16(p[2*j:]))*h.IDFStep
		}
		p = p[2*dim:]
	}
	switch h.WeightCodec {
	case "int8":
		if len(h.Scales) != K || len(p) != dim*K {
			return nil, fmt.Errorf("%w: weight table size", ErrFormat)
		}
		m.q = make([]int8, dim*K)
		for i, b := range p {
			m.q[i] = int8(b)
		}
		m.scales = h.Scales
	case "float32":
		if len(p) != 4*dim*K {
			return nil, fmt.Errorf("%w: weight table size", ErrFormat)
		}
		m.w = make([]float32, dim*K)
		for i := range m.w {
			m.w[i] = math.Float32frombits(binary.LittleEndian.Uint32(p[4*i:]))
		}
	default:
		return nil, fmt.Errorf("%w: weight codec %q", ErrFormat, h.WeightCodec)
	}
	return m, nil
}
