package open311

import (
	"strings"
)

// Huying's appeal has no fields for a service code, attribute answers or
// media links, and this package writes no tables of its own. So a request
// filed through Open311 keeps them in the appeal's content, after the
// resident's description, in a block that handlers read as plain Chinese
// and this package parses back for GET:
//
//	<description>
//
//	【Open311 附加信息】
//	服务：环境保护/噪音扰民（0201）
//	噪音来源：建筑施工
//	图片链接：https://example.org/p/1.jpg
//	〔open311:0201〕
//
// The last line is the service's tag: GET requests?service_code=0201 finds
// appeals by it (the store's substring filter), and GET reads the code from
// it. Every text a client sends is cleaned of the brackets 〔〕 and of the
// block's heading, so that a description cannot forge either.

const (
	blockHeading  = "【Open311 附加信息】"
	tagOpen       = "〔open311:"
	tagClose      = "〕"
	mediaLabel    = "图片链接："
	addressIDText = "地址编码："
)

// tag returns the service tag of code.
func tag(code string) string { return tagOpen + code + tagClose }

// clean removes what could forge the block or a tag from client text.
var cleaner = strings.NewReplacer("〔", "[", "〕", "]", blockHeading, "[Open311 附加信息]")

func clean(s string) string { return cleaner.Replace(s) }

// composeContent builds the appeal's content from a cleaned description and
// the block lines (without heading and tag).
func composeContent(description, code string, lines []string) string {
	var b strings.Builder
	if description != "" {
		b.WriteString(description)
		b.WriteString("\n\n")
	}
	b.WriteString(blockHeading)
	for _, l := range lines {
		b.WriteByte('\n')
		b.WriteString(l)
	}
	b.WriteByte('\n')
	b.WriteString(tag(code))
	return b.String()
}

// filed is what GET reads back from an appeal's content.
type filed struct {
	Description string
	ServiceCode string
	MediaURL    string
	AddressID   string
}

// parseContent splits an appeal's content into the resident's description
// and the block. Content without a block (never filed through Open311) is
// all description and has no service code.
func parseContent(content string) filed {
	i := strings.LastIndex(content, blockHeading)
	if i < 0 || !strings.HasSuffix(content, tagClose) {
		return filed{Description: content}
	}
	f := filed{Description: strings.TrimRight(content[:i], "\n")}
	block := content[i+len(blockHeading):]
	if j := strings.LastIndex(block, tagOpen); j >= 0 {
		f.ServiceCode = strings.TrimSuffix(block[j+len(tagOpen):], tagClose)
	}
	for _, l := range strings.Split(block, "\n") {
		switch {
		case f.MediaURL == "" && strings.HasPrefix(l, mediaLabel):
			f.MediaURL = strings.TrimPrefix(l, mediaLabel)
		case f.AddressID == "" && strings.HasPrefix(l, addressIDText):
			f.AddressID = strings.TrimPrefix(l, addressIDText)
		}
	}
	return f
}
