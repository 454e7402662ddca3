package main

import (
	"fmt"
	"net/netip"
	"net/url"
	"path/filepath"

	"huying/notify"
	"huying/server"
)

// serveOptions are serve's security-related settings: the public URL, who
// may scrape /metrics, the SMS driver and webhook targets.
type serveOptions struct {
	PublicURL            string
	MetricsToken         string
	MetricsAllow         string
	metricsAllow         []netip.Prefix
	SMS                  string
	SMSURL               string
	SMSKeyID             string
	SMSSecret            string
	AllowPrivateWebhooks bool
}

// check validates the options at start, with Chinese messages that say
// which flag to set.
func (o *serveOptions) check(c Config) error {
	if o.PublicURL != "" {
		u, err := url.Parse(o.PublicURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.User != nil {
			return fmt.Errorf("--public-url 须为 http:// 或 https:// 开头、不带查询参数的完整地址，如 https://12345.szpsq.gov.cn")
		}
	}
	allow, err := server.ParseProxies(o.MetricsAllow)
	if err != nil {
		return fmt.Errorf("--metrics-allow：%w", err)
	}
	o.metricsAllow = allow
	if o.metricsAllow == nil {
		o.metricsAllow = []netip.Prefix{} // none: the token only
	}
	if o.SMS == "" && c.Demo {
		o.SMS = "log"
	}
	switch o.SMS {
	case "log":
	case "http":
		if o.SMSURL == "" || o.SMSKeyID == "" || len(o.SMSSecret) < 16 {
			return fmt.Errorf("--sms http 需要 --sms-url、--sms-key-id 和至少 16 个字符的密钥（环境变量 HUYING_SMS_SECRET）")
		}
	case "":
		return fmt.Errorf("请指定短信通道：生产环境用 --sms http --sms-url … --sms-key-id …（密钥放在环境变量 HUYING_SMS_SECRET），" +
			"开发调试可用 --sms log（短信含验证码，写入数据目录的 sms.log）")
	default:
		return fmt.Errorf("--sms 须为 log 或 http")
	}
	return nil
}

func (o *serveOptions) smsDriver(c Config) notify.Driver {
	if o.SMS == "http" {
		return &notify.SMSGateway{URL: o.SMSURL, KeyID: o.SMSKeyID, Secret: o.SMSSecret}
	}
	return &notify.SMSLog{Path: filepath.Join(c.Data, "sms.log")}
}

func (o *serveOptions) publicURL(c Config) string {
	if o.PublicURL != "" {
		return o.PublicURL
	}
	return "http://" + c.Addr
}
