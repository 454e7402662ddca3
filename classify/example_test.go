package classify_test

import (
	"bytes"
	"fmt"

	"huying/classify"
)

func Example() {
	texts := []string{
		"小区 物业 乱 收 停车费", "物业 不 作为 小区 电梯 坏 了", "小区 违章 搭建 无人 管",
		"学校 违规 补课 收费", "孩子 入学 学位 不足", "老师 体罚 学生",
		"工厂 夜间 噪音 扰民", "河道 污水 直排 发臭", "搅拌站 粉尘 污染 严重",
	}
	labels := []string{
		"城乡建设", "城乡建设", "城乡建设",
		"教育文体", "教育文体", "教育文体",
		"环境保护", "环境保护", "环境保护",
	}
	opts := classify.DefaultOptions()
	opts.CalibrationFolds = -1 // too few texts to calibrate
	m, err := classify.Train(texts, labels, opts)
	if err != nil {
		panic(err)
	}

	// Save and load, as the huying binary does with its shipped model.
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		panic(err)
	}
	m, err = classify.Load(&buf)
	if err != nil {
		panic(err)
	}

	// Raw text, not segmented, still finds its n-grams.
	p := m.Predict("楼下工厂每天夜里噪音很大，吵得睡不着！")
	fmt.Println(p.Label, p.Top[0].Label == p.Label)
	// Output: 环境保护 true
}
