// The routing the chatbot tests give their chatbots: the demo bot's order questions to one team.

/** Routing that sends the demo bot's order questions to `ordersTeam`, everything else to team 1. */
export const routingTo = (ordersTeam: string) => ({
  defaultTeam: { team: '1', label: 'Support' },
  teams: [{ team: ordersTeam, label: `Team ${ordersTeam}`, skills: ['demo.shop.OrderStatus'] }],
});
