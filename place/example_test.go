package place_test

import (
	"fmt"

	"github.com/paulmach/orb"

	"huying/place"
)

func ExampleLocate() {
	if p, ok := place.Locate(orb.Point{114.339, 22.706}); ok {
		fmt.Println(p.Street, p.Community, p.CommunityID)
	}
	_, ok := place.Locate(orb.Point{114.055, 22.521}) // 福田区
	fmt.Println(ok)
	// Output:
	// 坪山街道 六和社区 c-liuhe
	// false
}

func ExampleMatch() {
	for _, address := range []string{
		"坪山区坑梓街道秀新社区金辉路12号",
		"六和城３棟",
		"深汕路与东纵路交叉口",
	} {
		fmt.Println(address)
		for _, c := range place.Match(address) {
			fmt.Printf("  %.2f %s %s %v\n", c.Confidence, c.Street, c.Community, c.Matched)
		}
	}
	// Output:
	// 坪山区坑梓街道秀新社区金辉路12号
	//   0.99 坑梓街道 秀新社区 [坪山区 坑梓街道 秀新社区]
	// 六和城３棟
	//   0.90 坪山街道 六和社区 [六和城]
	// 深汕路与东纵路交叉口
	//   0.99 坪山街道  [深汕路 东纵路]
	//   0.49 坪山街道 坪山社区 [深汕路 东纵路]
	//   0.49 坪山街道 和平社区 [深汕路 东纵路]
}
