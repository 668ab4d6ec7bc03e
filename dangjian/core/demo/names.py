"""Word lists for the demo: fictional places, realistic Chinese names, schools and posts.

Every place here is invented for the demo (青山县, 南湖区, 城关学区 …); none of the real counties,
districts or towns named in the seed documents is used.
"""

from __future__ import annotations


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# (surname, weight): the common surnames, roughly by frequency
_SURNAME_WEIGHTS = (
    "王72 李71 张68 刘54 陈46 杨31 黄24 赵22 吴21 周20 徐17 孙15 马15 朱14 胡13 "
    "郭12 何12 高11 林11 罗11 郑10 梁10 谢8 宋7 唐7 许7 韩7 冯6 邓6 曹6 彭6 曾6 肖6 "
    "田5 董5 袁5 潘5 于5 蒋5 蔡5 余5 杜5 叶4 程4 苏4 魏4 吕4 丁4 任4 沈4 姚4 卢4 姜3 "
    "崔3 钟3 谭3 陆3 汪3 范3 金3 石3 廖3 贾3 夏3 韦3 付3 方3 白3 邹3 孟3 熊3 秦3 邱3 "
    "江3 尹2 薛2 闫2 段2 雷2 侯2 龙2 史2 陶2 黎2 贺2 顾2 毛2 郝2 龚2 邵2 万2 钱2 严2 "
    "覃2 武2 戴2 莫2 孔2 向2 汤2 欧阳1 司马1 上官1 "
)
SURNAMES: tuple[tuple[str, int], ...] = tuple(
    (w.rstrip("0123456789"), int(w[len(w.rstrip("0123456789")) :]))
    for w in _SURNAME_WEIGHTS.split()
)
MALE_CHARS = _words(
    "伟 强 磊 军 勇 杰 涛 斌 超 明 刚 平 辉 鹏 华 飞 鑫 波 宇 浩 凯 健 俊 帆 帅 旭 宁 龙 林 洋 "
    "峰 建 国 志 文 东 海 亮 兵 成 春 德 光 庆 荣 松 卫 新 兴 永 振 中 天 博 晨 晓 毅 刚 锋 "
    "家 宏 立 祥 学 云 俊 坤 瑞 睿 泽 昊 宇 航 轩"
)
FEMALE_CHARS = _words(
    "芳 娜 敏 静 丽 艳 娟 霞 秀 燕 玲 婷 雪 慧 莉 倩 颖 琳 晶 欣 红 梅 兰 萍 琴 云 洁 璐 蓉 "
    "丹 佳 悦 瑶 薇 莹 妍 菲 宁 晓 雯 青 春 月 露 怡 岚 嘉 欢 思 彤 雅 馨 诗 涵 蕾 凤 桂 英 "
    "华 秋 翠 文 玉 洁"
)

# 青山市 and its counties; the first county is the one the county-scale demo loads
CITY = ("青山市", "QSS")
COUNTIES: tuple[tuple[str, str], ...] = (
    ("青山县", "QSX"),
    ("南湖区", "NHQ"),
    ("云溪县", "YXX"),
    ("白鹭县", "BLX"),
    ("松岭县", "SLX"),
    ("枫林县", "FLX"),
    ("望川县", "WCX"),
    ("石泉县", "SQX"),
)
PROVINCE = ("岚江省", "LJS")
# other cities of the province (青山市 is the first)
CITY_STEMS = _words(
    "云州 白沙 临溪 金川 玉屏 翠微 星湖 明月 凤鸣 鹤岭 银滩 清溪 碧水 锦屏 苍梧 "
    "紫荆 桐江 兰亭 栖霞 枫桥"
)
COUNTY_FIRST = _words(
    "青 云 白 松 枫 望 石 金 玉 碧 翠 星 明 凤 鹤 银 锦 苍 紫 桐 兰 栖 梅 竹 柳 桃"
)
COUNTY_SECOND = _words("山 溪 鹭 岭 林 川 泉 湖 源 阳 丰 宁 安 平 江 河 原 坪 峰 塘")

# towns of a county: the first district office is always 城关学区 (the county seat)
TOWNS = _words(
    "东湖 西山 南岭 北河 桃源 柳溪 杏花 白沙 龙潭 马鞍 梅岭 竹园 清泉 双河 石坝 新桥 "
    "黄土 金竹 凤凰 长乐 高坪 太平 永兴 福田"
)
VILLAGES = _words(
    "李家 王家 杨柳 河口 大坪 新村 高桥 松树 马家 黄泥 白果 花园 青龙 沙坝 竹林 庙坝 "
    "水井 枣园 槐树 石门 柏树 观音 龙泉 桂花 红岩 田坝 碾盘 双井 茶园 油坊"
)
PRIVATE_KINDERGARTENS = _words(
    "阳光 小太阳 蓝天 星星 七彩 童心 快乐 启明星 小天使 金色童年 彩虹 小海豚 蒲公英 "
    "向日葵 小树苗 春苗 博雅 贝贝 嘉禾 新苗"
)
PRIVATE_SCHOOLS = (
    ("育才学校", "nine_year"),
    ("博雅外国语学校", "complete"),
    ("明德实验学校", "nine_year"),
    ("启智学校", "primary"),
)
TRAINING = _words("启航 新思维 书香 英才 智慧树 学而思远 乐学 拓展 求知 优学")
CARE = _words("童心 安心 乐童 小书包 暖阳 彩虹桥")
# party branches of big schools, by section
BRANCH_SECTIONS = ("第一", "第二", "第三", "第四", "离退休")
SUBJECT_GROUPS = ("语文", "数学", "英语", "理化生", "政史地", "艺体", "后勤")
MOBILE_PREFIXES = _words(
    "130 131 132 133 135 136 137 138 139 150 151 152 153 155 156 157 158 159 "
    "166 173 176 177 178 180 181 182 183 185 186 187 188 189 191 198 199"
)
